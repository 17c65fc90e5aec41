package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inputs the IR needs as attributes may be computed from constants; they are evaluated when needed,
 * while constant subgraphs that feed tensors (weights) stay in the graph for the passes.
 */
class ConstantSubgraphTest {
    @Test
    void torchScriptShapeSubgraphFoldsIntoTheReshapeTarget() {
        for (int opset : new int[] {9, 11, 13, 17}) {
            Graph g = Imports.of(torchScriptView(opset), ImportOptions.defaults().withFirstInputShape(2, 3, 4));
            Node reshape = Imports.outputNode(g);
            assertEquals(new Reshape(List.of(2, 12)), reshape.op(), "opset " + opset);
            assertEquals(TensorType.f32(2, 12), g.outputs().get(0).type());
            assertEquals(g.inputs().get(0), reshape.input(0));
        }
    }

    @Test
    void torchScriptShapeSubgraphMatchesOnnxRuntime() {
        Golden.check(torchScriptView(13));
        Golden.check(torchScriptView(9));
    }

    @Test
    void realTorchScriptExportImportsWithItsBatchSet() throws Exception {
        Path file = Path.of(getClass().getResource("/torchscript/tiny_cnn_torchscript.onnx").toURI());
        Graph g = OnnxImporter.importModel(file, ImportOptions.defaults().withInputShape("image", 3, 1, 8, 8));
        assertEquals(new Reshape(List.of(3, 64)), g.node("/Reshape").orElseThrow().op());
        assertEquals(TensorType.f32(3, 5), g.outputs().get(0).type());
        Golden.check(OnnxImporter.readModel(file), -1, 1);
    }

    @Test
    void arithmeticOnShapesFolds() {
        // Reshape to [d0 * d1, d2 / 2, 2]: Mul and Div on shape scalars, as exporters emit for view().
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", 2, 3, 4);
        m.node("Shape").inputs("x").outputs("s");
        m.initializer("i", new long[] {0, 1, 2}, 3);
        m.initializer("two", new long[] {2}, 1);
        m.node("Gather").inputs("s", "i").outputs("d");
        m.node("Split").inputs("d").outputs("d0", "d1", "d2").intAttr("axis", 0);
        m.node("Mul").inputs("d0", "d1").outputs("p");
        m.node("Div").inputs("d2", "two").outputs("h");
        m.node("Concat").inputs("p", "h", "two").outputs("target").intAttr("axis", 0);
        m.node("Reshape").inputs("x", "target").outputs("y");
        m.output("y");
        Graph g = Imports.of(m);
        assertEquals(new Reshape(List.of(6, 2, 2)), Imports.outputNode(g).op());
        Golden.check(m);
    }

    @Test
    void weightSubgraphsStayInTheGraph() {
        // A binarized weight Sign(W - mean(W)) and a DeepThin factored weight U·V.
        Random r = new Random(1);
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", 1, 4);
        m.initializer("W", ConvPoolGoldenTest.random(r, 12), 4, 3);
        m.initializer("U", ConvPoolGoldenTest.random(r, 6), 3, 2);
        m.initializer("V", ConvPoolGoldenTest.random(r, 10), 2, 5);
        m.node("ReduceMean").inputs("W").outputs("mean").intsAttr("axes", 0, 1);
        m.node("Sub").inputs("W", "mean").outputs("centered");
        m.node("Sign").inputs("centered").outputs("Wb");
        m.node("MatMul").inputs("x", "Wb").outputs("h");
        m.node("MatMul").inputs("U", "V").outputs("W2");
        m.node("MatMul").inputs("h", "W2").outputs("y");
        m.output("y");
        Graph g = Imports.of(m);
        List<Op> ops = Imports.ops(g);
        assertEquals(List.of(new Reduce(ReduceFn.MEAN, List.of(0, 1), true), new Binary(BinaryFn.SUB),
                new Unary(UnaryFn.SIGN), new MatMul(), new MatMul(), new MatMul()), ops);
        Golden.check(m);
    }

    @Test
    void constantShapeComputedFromInitializersIsEvaluated() {
        // Target [3, 8] computed as base + offset from two initializers.
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", 4, 6);
        m.initializer("base", new long[] {1, 4}, 2);
        m.initializer("offset", new long[] {2, 4}, 2);
        m.node("Add").inputs("base", "offset").outputs("target");
        m.node("Reshape").inputs("x", "target").outputs("y");
        m.node("Reshape").inputs("x", "target").outputs("z");
        m.output("y").output("z");
        Graph g = Imports.of(m);
        // The Add is evaluated once for both; it stays behind, dead, for dead-code elimination.
        assertEquals(List.of(new Binary(BinaryFn.ADD), new Reshape(List.of(3, 8)), new Reshape(List.of(3, 8))),
                Imports.ops(g));
    }

    /** {@code x.view(x.size(0), -1)} as the TorchScript exporter writes it; the batch is symbolic. */
    static OnnxModelBuilder torchScriptView(int opset) {
        OnnxModelBuilder m = new OnnxModelBuilder("torch_jit").opset(opset);
        m.input("input.1", -1, 3, 4);
        m.node("Shape").name("/Shape").inputs("input.1").outputs("/Shape_output_0");
        m.node("Constant").name("/Constant").outputs("/Constant_output_0")
                .tensorAttr("value", Tensor.ofLongs(Shape.scalar(), 0));
        m.node("Gather").name("/Gather").inputs("/Shape_output_0", "/Constant_output_0").outputs("/Gather_output_0")
                .intAttr("axis", 0);
        if (opset >= 13) {
            m.node("Constant").name("/Constant_1").outputs("/Constant_1_output_0")
                    .tensorAttr("value", Tensor.ofLongs(Shape.of(1), 0));
            m.node("Unsqueeze").name("/Unsqueeze").inputs("/Gather_output_0", "/Constant_1_output_0")
                    .outputs("/Unsqueeze_output_0");
        } else {
            m.node("Unsqueeze").name("/Unsqueeze").inputs("/Gather_output_0").outputs("/Unsqueeze_output_0")
                    .intsAttr("axes", 0);
        }
        m.node("Constant").name("/Constant_2").outputs("/Constant_2_output_0")
                .tensorAttr("value", Tensor.ofLongs(Shape.of(1), -1));
        m.node("Concat").name("/Concat").inputs("/Unsqueeze_output_0", "/Constant_2_output_0").outputs("/Concat_output_0")
                .intAttr("axis", 0);
        m.node("Reshape").name("/Reshape").inputs("input.1", "/Concat_output_0").outputs("output");
        m.output("output");
        return m;
    }
}
