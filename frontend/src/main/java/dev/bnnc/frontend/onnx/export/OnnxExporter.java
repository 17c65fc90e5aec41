package dev.bnnc.frontend.onnx.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Writes an IR {@link Graph} as a standard ONNX model (default domain only, opset {@value #OPSET},
 * IR version 9), so that ONNX Runtime or any other ONNX tool can run what the passes made of a
 * model: canonicalized, fused, thinned.
 *
 * <pre>{@code
 * ModelProto model = OnnxExporter.export(graph);
 * OnnxExporter.write(graph, Path.of("optimized.onnx"));
 * }</pre>
 *
 * <p>Inputs and outputs keep the IR's static shapes; values and nodes keep their IR names (made
 * unique and non-empty; ONNX asks for C identifiers, but its tools take any string, and keeping
 * names such as {@code x:0} lets the model be fed as the original was). Constants become
 * initializers. Most ops map onto the ONNX op of the same name, their normalized attributes written
 * out in full; the others ({@code Dense}, {@code ChannelAffine}, {@code Bipolar}) become a few
 * standard ops, named {@code <node>/<step>}. Only ops that {@link dev.bnnc.frontend.onnx.OnnxImporter}
 * reads are written, so the model imports back to a graph that computes the same.
 *
 * <p>The binary layers are written in a float form that computes exactly what their XNOR-popcount
 * kernels do (see {@link BinaryExport}): packed signs as -1/0/+1 floats, dot products by Conv or
 * MatMul, integer thresholds by Sign. Only a graph output of packed signs has no standard form; it
 * fails with an {@link ExportException}.
 *
 * <p>Opset 19 is the first with dilated AveragePool; Reduce axes and Split sizes are inputs there.
 */
public final class OnnxExporter {
    public static final int OPSET = 19;

    private OnnxExporter() {}

    public static ModelProto export(Graph graph) {
        OnnxModelBuilder model = new OnnxModelBuilder(graph.name()).opset(OPSET);
        ExportContext ctx = new ExportContext(graph, model);
        for (Value in : graph.inputs()) {
            model.input(ctx.name(in), ExportContext.elementType(in), in.shape().dims());
        }
        OpExporter ops = new OpExporter(ctx);
        for (Node n : graph.nodes()) {
            n.op().accept(ops, n);
        }
        // A value listed twice becomes a second, distinct output: runtimes return outputs by name.
        Set<Value> declared = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value out : graph.outputs()) {
            String name = declared.add(out) ? ctx.name(out) : ctx.identity(ctx.name(out), ctx.name(out));
            model.output(name, ExportContext.elementType(out), out.shape().dims());
        }
        return model.build();
    }

    /** Exports {@code graph} and writes the model to {@code file}. */
    public static void write(Graph graph, Path file) {
        ModelProto model = export(graph);
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
