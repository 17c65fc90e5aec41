package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.frontend.onnx.export.OnnxExporter;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.interp.Interpreter;
import java.util.List;

/**
 * Golden check of the exporter: a graph exported to ONNX must compute the expected outputs in ONNX
 * Runtime, and so must the graph it imports back to, in the interpreter.
 */
final class ExportRoundTrip {
    private ExportRoundTrip() {}

    /** For a graph built in IR: the interpreter's outputs are the expectation. */
    static ModelProto check(Graph g, List<Tensor> inputs) {
        return check(g, inputs, Interpreter.run(g, inputs));
    }

    /** Returns the exported model. */
    static ModelProto check(Graph g, List<Tensor> inputs, List<Tensor> expected) {
        ModelProto exported = OnnxExporter.export(g);
        assertAllClose("exported model in ONNX Runtime", g, expected, OnnxRuntimeReference.run(exported, inputs));
        Graph reimported = OnnxImporter.importModel(exported, null, ImportOptions.defaults());
        assertAllClose("re-imported graph", g, expected, Interpreter.run(reimported, inputs));
        return exported;
    }

    private static void assertAllClose(String who, Graph g, List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.size(), actual.size(), who + ": number of outputs");
        for (int k = 0; k < expected.size(); k++) {
            Golden.assertClose(who + ", output " + g.outputs().get(k).name(), expected.get(k), actual.get(k));
        }
    }
}
