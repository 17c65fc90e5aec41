package dev.bnnc.frontend.onnx;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DeepThin layers as PyTorch exports them with constant folding off: the weight computed in the
 * graph from two factors (MatMul → Reshape to 1-D → Slice → Reshape), used by Gemm (2-D input,
 * {@code F.linear}) or by MatMul through a Transpose (3-D input), or directly as a [K, N] MatMul
 * weight. In the cli module's run these cases also go through the passes (which keep the weight
 * factored) and the generated Java and C.
 */
class DeepThinGoldenTest {
    private final Random random = new Random(6);

    @Test
    void gemmOfALinearLayer() {
        OnnxModelBuilder m = factoredWeight(11, 3, 23, 12, 20);
        m.input("x", 2, 20);
        m.initializer("b", ConvPoolGoldenTest.random(random, 12), 12);
        m.node("Gemm").inputs("x", "W", "b").outputs("y").intAttr("transB", 1);
        m.output("y");
        Golden.check(m);
    }

    @Test
    void matMulThroughATransposeThenBias() {
        OnnxModelBuilder m = factoredWeight(9, 2, 17, 10, 14);
        m.input("x", 1, 3, 14);
        m.initializer("b", ConvPoolGoldenTest.random(random, 10), 10);
        m.node("Transpose").inputs("W").outputs("Wt").intsAttr("perm", 1, 0);
        m.node("MatMul").inputs("x", "Wt").outputs("h");
        m.node("Add").inputs("h", "b").outputs("y");
        m.output("y");
        Golden.check(m);
    }

    @Test
    void matMulOfAWeightOfExactlyTheProductsSize() {
        OnnxModelBuilder m = factoredWeight(8, 3, 10, 16, 5);
        m.input("x", 2, 16);
        m.node("MatMul").inputs("x", "W").outputs("y");
        m.output("y");
        Golden.check(m);
    }

    /** W [rows, cols] = reshape(flatten(U·V)[:rows·cols]), U [mf, r], V [r, nf]; the cut is left out when nothing is cut. */
    private OnnxModelBuilder factoredWeight(int mf, int r, int nf, int rows, int cols) {
        OnnxModelBuilder m = new OnnxModelBuilder("deepthin").opset(13);
        m.initializer("U", ConvPoolGoldenTest.random(random, mf * r), mf, r);
        m.initializer("V", ConvPoolGoldenTest.random(random, r * nf), r, nf);
        m.initializer("flat_shape", new long[] {-1}, 1);
        m.initializer("shape", new long[] {rows, cols}, 2);
        m.node("MatMul").inputs("U", "V").outputs("P");
        m.node("Reshape").inputs("P", "flat_shape").outputs("flat");
        String cut = "flat";
        if (mf * nf > rows * cols) {
            m.initializer("starts", new long[] {0}, 1);
            m.initializer("ends", new long[] {rows * cols}, 1);
            m.node("Slice").inputs("flat", "starts", "ends").outputs("cut");
            cut = "cut";
        }
        m.node("Reshape").inputs(cut, "shape").outputs("W");
        return m;
    }
}
