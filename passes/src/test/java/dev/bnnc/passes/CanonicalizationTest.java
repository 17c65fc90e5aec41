package dev.bnnc.passes;

import static dev.bnnc.passes.PassTesting.assertRewrites;
import static dev.bnnc.passes.PassTesting.assertSameResults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Verifier;
import dev.bnnc.ir.ops.Transpose;
import dev.bnnc.ir.text.IrParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalizationTest {
    @Test
    void foldConstantsEvaluatesWeightSubgraphs() {
        // sign(W - mean(W)) * mean|W - mean(W)|, per output channel, as binarized PyTorch layers export it.
        String before = """
                graph g(%x: f32[1,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 3.0, -2.0, 4.0]} : f32[2,2]
                  %m = Reduce {fn = MEAN, axes = [1], keepDims = true} (%w) : f32[2,1]
                  %c = Binary {fn = SUB} (%w, %m) : f32[2,2]
                  %s = Unary {fn = SIGN} (%c) : f32[2,2]
                  %a = Unary {fn = ABS} (%c) : f32[2,2]
                  %alpha = Reduce {fn = MEAN, axes = [1], keepDims = true} (%a) : f32[2,1]
                  %wb = Binary {fn = MUL} (%s, %alpha) : f32[2,2]
                  %y = MatMul (%x, %wb) : f32[1,2]
                }
                """;
        Graph out = assertRewrites(new FoldConstants(), before, """
                graph g(%x: f32[1,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 3.0, -2.0, 4.0]} : f32[2,2]
                  %m = Constant {value = dense<f32[2,1]> [2.0, 1.0]} : f32[2,1]
                  %c = Constant {value = dense<f32[2,2]> [-1.0, 1.0, -3.0, 3.0]} : f32[2,2]
                  %s = Constant {value = dense<f32[2,2]> [-1.0, 1.0, -1.0, 1.0]} : f32[2,2]
                  %a = Constant {value = dense<f32[2,2]> [1.0, 1.0, 3.0, 3.0]} : f32[2,2]
                  %alpha = Constant {value = dense<f32[2,1]> [1.0, 3.0]} : f32[2,1]
                  %wb = Constant {value = dense<f32[2,2]> [-1.0, 1.0, -3.0, 3.0]} : f32[2,2]
                  %y = MatMul (%x, %wb) : f32[1,2]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 0);
    }

    @Test
    void signsOfATransposedTensorArePackedFromTheTensor() {
        String before = """
                graph g(%x: f32[1,6,3]) -> (%b, %c) {
                  %t = Transpose {perm = [0,2,1]} (%x) : f32[1,3,6]
                  %b, %z = PackSigns {axis = 2, groups = 1, bipolar = false} (%t) : b64[1,3,1], b64[4]
                  %u = Transpose {perm = [2,1,0]} (%x) : f32[3,6,1]
                  %c = PackSigns {axis = 1, groups = 1, bipolar = true} (%u) : b64[3,1,1]
                }
                """;
        // The second transpose reverses the axes around the packed one: its words would come out in another order.
        Graph out = assertRewrites(new PackThroughTranspose(), before, """
                graph g(%x: f32[1,6,3]) -> (%b, %c) {
                  %t = Transpose {perm = [0,2,1]} (%x) : f32[1,3,6]
                  %b, %z = PackSigns {axis = 1, groups = 1, bipolar = false} (%x) : b64[1,3,1], b64[4]
                  %u = Transpose {perm = [2,1,0]} (%x) : f32[3,6,1]
                  %c = PackSigns {axis = 1, groups = 1, bipolar = true} (%u) : b64[3,1,1]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 0);
    }

    @Test
    void aDenseLayerOverTimeBetweenTransposesBecomesAPointwiseConvolution() {
        // y = (x^T W + b)^T over [1, K=2, T=3]; the second layer's output is also read untransposed: kept.
        String before = """
                graph g(%x: f32[1,2,3]) -> (%y, %z) {
                  %t = Transpose {perm = [0,2,1]} (%x) : f32[1,3,2]
                  %w = Constant {value = dense<f32[2,4]> [1.0, 2.0, 3.0, 4.0, -1.0, 0.5, 0.25, 2.0]} : f32[2,4]
                  %b = Constant {value = dense<f32[4]> [0.5, -0.5, 1.0, 0.0]} : f32[4]
                  %d = Dense (%t, %w, %b) : f32[1,3,4]
                  %y = Transpose {perm = [0,2,1]} (%d) : f32[1,4,3]
                  %e = Dense (%t, %w) : f32[1,3,4]
                  %f = Transpose {perm = [0,2,1]} (%e) : f32[1,4,3]
                  %z = Binary {fn = ADD} (%e, %e) : f32[1,3,4]
                }
                """;
        Graph out = assertRewrites(new PointwiseConvFromDense(), before, """
                graph g(%x: f32[1,2,3]) -> (%y, %z) {
                  %w_pointwise = Constant {value = dense<f32[4,2,1]> [1.0, -1.0, 2.0, 0.5, 3.0, 0.25, 4.0, 2.0]} : f32[4,2,1]
                  %t = Transpose {perm = [0,2,1]} (%x) : f32[1,3,2]
                  %w = Constant {value = dense<f32[2,4]> [1.0, 2.0, 3.0, 4.0, -1.0, 0.5, 0.25, 2.0]} : f32[2,4]
                  %b = Constant {value = dense<f32[4]> [0.5, -0.5, 1.0, 0.0]} : f32[4]
                  %y = Conv @d {strides = [1], pads = [0,0], dilations = [1], group = 1} (%x, %w_pointwise, %b) : f32[1,4,3]
                  %e = Dense (%t, %w) : f32[1,3,4]
                  %f = Transpose {perm = [0,2,1]} (%e) : f32[1,4,3]
                  %z = Binary {fn = ADD} (%e, %e) : f32[1,3,4]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 1e-6);
    }

    @Test
    void aBinaryDenseLayerOverTimeWithItsOutputTransposedBecomesAPointwiseBinaryConvolution() {
        // Sign(x^T) W^T over K = 70 inputs (two words), T = 3 positions, 2 outputs; exact zeros in x
        // (the zero mask) must count 0 in both forms.
        String before = """
                graph g(%x: f32[1,70,3]) -> (%y) {
                  %t = Transpose {perm = [0,2,1]} (%x) : f32[1,3,70]
                  %p = Unary {fn = RELU} (%t) : f32[1,3,70]
                  %s = Unary {fn = SIGN} (%p) : f32[1,3,70]
                  %w = Constant {value = dense<f32[70,2]> [%s]} : f32[70,2]
                  %d = Dense (%s, %w) : f32[1,3,2]
                  %y = Transpose {perm = [0,2,1]} (%d) : f32[1,2,3]
                }
                """.replace("%s]", weights(70, 2));
        Graph binary = new Binarize(BinarizeMode.auto()).run(IrParser.parse(before), new PassContext());
        Graph out = new PointwiseConvFromDense().run(binary, new PassContext());
        Verifier.verify(out);
        assertEquals(List.of("BinaryConv"), out.nodes().stream().map(n -> n.op().getClass().getSimpleName())
                .filter(name -> name.startsWith("Binary") && !name.equals("Binary")).toList());
        assertTrue(out.nodes().stream().noneMatch(n -> n.op() instanceof Transpose t && n.output().name().equals("y")));
        assertSameResults(IrParser.parse(before), out, 1e-5);
    }

    /** {@code rows x columns} weights of magnitude 0.5 per column, signs from a fixed pattern, as IR text. */
    private static String weights(int rows, int columns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows * columns; i++) {
            b.append(i == 0 ? "" : ", ").append((i * 7 + i / 3) % 5 < 2 ? "-0.5" : "0.5");
        }
        return b.append("]").toString();
    }

    @Test
    void deadCodeEliminationKeepsOnlyWhatReachesOutputs() {
        assertRewrites(new DeadCodeElimination(), """
                graph g(%x: f32[4]) -> (%y) {
                  %unused = Unary {fn = EXP} (%x) : f32[4]
                  %y = Unary {fn = RELU} (%x) : f32[4]
                  %k = Constant {value = dense<f32[1]> [1.0]} : f32[1]
                }
                """, """
                graph g(%x: f32[4]) -> (%y) {
                  %y = Unary {fn = RELU} (%x) : f32[4]
                }
                """);
    }

    @Test
    void identitiesDisappear() {
        assertRewrites(new RemoveIdentities(), """
                graph g(%x: f32[4]) -> (%y, %i2) {
                  %i1 = Identity (%x) : f32[4]
                  %y = Unary {fn = RELU} (%i1) : f32[4]
                  %i2 = Identity (%y) : f32[4]
                }
                """, """
                graph g(%x: f32[4]) -> (%y, %y) {
                  %y = Unary {fn = RELU} (%x) : f32[4]
                }
                """);
    }

    @Test
    void matMulWithConstantWeightBecomesDense() {
        assertRewrites(new FormDense(), """
                graph g(%x: f32[1,3,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0, 4.0]} : f32[2,2]
                  %y = MatMul (%x, %w) : f32[1,3,2]
                }
                """, """
                graph g(%x: f32[1,3,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0, 4.0]} : f32[2,2]
                  %y = Dense (%x, %w) : f32[1,3,2]
                }
                """);
    }

    @Test
    void gemmWithConstantTransposedWeightBecomesDenseWithScaledWeightAndBias() {
        String before = """
                graph g(%x: f32[1,3]) -> (%y) {
                  %w = Constant {value = dense<f32[2,3]> [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]} : f32[2,3]
                  %c = Constant {value = dense<f32[1,2]> [0.5, -0.5]} : f32[1,2]
                  %y = Gemm {alpha = 2.0, beta = 3.0, transA = false, transB = true} (%x, %w, %c) : f32[1,2]
                }
                """;
        Graph out = assertRewrites(new FormDense(), before, """
                graph g(%x: f32[1,3]) -> (%y) {
                  %w = Constant {value = dense<f32[2,3]> [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]} : f32[2,3]
                  %c = Constant {value = dense<f32[1,2]> [0.5, -0.5]} : f32[1,2]
                  %w_dense = Constant {value = dense<f32[3,2]> [2.0, 8.0, 4.0, 10.0, 6.0, 12.0]} : f32[3,2]
                  %y_bias = Constant {value = dense<f32[2]> [1.5, -1.5]} : f32[2]
                  %y = Dense (%x, %w_dense, %y_bias) : f32[1,2]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 1e-5);
    }

    @Test
    void gemmWithRunTimeOperandsBecomesMatMulChain() {
        String before = """
                graph g(%a: f32[3,2], %b: f32[4,3], %c: f32[4]) -> (%y) {
                  %y = Gemm {alpha = 0.5, beta = 2.0, transA = true, transB = true} (%a, %b, %c) : f32[2,4]
                }
                """;
        Graph out = assertRewrites(new FormDense(), before, """
                graph g(%a: f32[3,2], %b: f32[4,3], %c: f32[4]) -> (%y) {
                  %y_transA = Transpose {perm = [1,0]} (%a) : f32[2,3]
                  %y_transB = Transpose {perm = [1,0]} (%b) : f32[3,4]
                  %y_matmul = MatMul (%y_transA, %y_transB) : f32[2,4]
                  %y_alpha = Constant {value = dense<f32[]> [0.5]} : f32[]
                  %y_scaled = Binary {fn = MUL} (%y_matmul, %y_alpha) : f32[2,4]
                  %y_beta = Constant {value = dense<f32[]> [2.0]} : f32[]
                  %y_beta_c = Binary {fn = MUL} (%c, %y_beta) : f32[4]
                  %y = Binary {fn = ADD} (%y_scaled, %y_beta_c) : f32[2,4]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 1e-5);
    }

    @Test
    void batchNormFoldsIntoPrecedingConv() {
        String before = """
                graph g(%x: f32[1,1,3,3]) -> (%y) {
                  %w = Constant {value = dense<f32[2,1,1,1]> [2.0, -1.0]} : f32[2,1,1,1]
                  %b = Constant {value = dense<f32[2]> [1.0, 0.0]} : f32[2]
                  %c = Conv {strides = [1,1], pads = [0,0,0,0], dilations = [1,1], group = 1} (%x, %w, %b) : f32[1,2,3,3]
                  %gamma = Constant {value = dense<f32[2]> [1.0, -2.0]} : f32[2]
                  %beta = Constant {value = dense<f32[2]> [0.5, 0.25]} : f32[2]
                  %mean = Constant {value = dense<f32[2]> [1.0, 2.0]} : f32[2]
                  %var = Constant {value = dense<f32[2]> [4.0, 1.0]} : f32[2]
                  %y = BatchNorm {epsilon = 0.0} (%c, %gamma, %beta, %mean, %var) : f32[1,2,3,3]
                }
                """;
        // s = gamma / sqrt(var) = [0.5, -2]; w' = w * s = [1, 2]; b' = (b - mean) * s + beta = [0.5, 4.25]
        Graph out = assertRewrites(new FoldBatchNorm(), before, """
                graph g(%x: f32[1,1,3,3]) -> (%y) {
                  %w = Constant {value = dense<f32[2,1,1,1]> [2.0, -1.0]} : f32[2,1,1,1]
                  %b = Constant {value = dense<f32[2]> [1.0, 0.0]} : f32[2]
                  %gamma = Constant {value = dense<f32[2]> [1.0, -2.0]} : f32[2]
                  %beta = Constant {value = dense<f32[2]> [0.5, 0.25]} : f32[2]
                  %mean = Constant {value = dense<f32[2]> [1.0, 2.0]} : f32[2]
                  %var = Constant {value = dense<f32[2]> [4.0, 1.0]} : f32[2]
                  %w_bn = Constant {value = dense<f32[2,1,1,1]> [1.0, 2.0]} : f32[2,1,1,1]
                  %c_bias_bn = Constant {value = dense<f32[2]> [0.5, 4.25]} : f32[2]
                  %y = Conv @c {strides = [1,1], pads = [0,0,0,0], dilations = [1,1], group = 1} (%x, %w_bn, %c_bias_bn) : f32[1,2,3,3]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 1e-5);
    }

    @Test
    void batchNormWithoutFoldableProducerBecomesChannelAffine() {
        String before = """
                graph g(%x: f32[1,2,2]) -> (%y) {
                  %gamma = Constant {value = dense<f32[2]> [1.0, -2.0]} : f32[2]
                  %beta = Constant {value = dense<f32[2]> [0.5, 0.25]} : f32[2]
                  %mean = Constant {value = dense<f32[2]> [1.0, 2.0]} : f32[2]
                  %var = Constant {value = dense<f32[2]> [4.0, 1.0]} : f32[2]
                  %y = BatchNorm {epsilon = 0.0} (%x, %gamma, %beta, %mean, %var) : f32[1,2,2]
                }
                """;
        Graph out = assertRewrites(new FoldBatchNorm(), before, """
                graph g(%x: f32[1,2,2]) -> (%y) {
                  %gamma = Constant {value = dense<f32[2]> [1.0, -2.0]} : f32[2]
                  %beta = Constant {value = dense<f32[2]> [0.5, 0.25]} : f32[2]
                  %mean = Constant {value = dense<f32[2]> [1.0, 2.0]} : f32[2]
                  %var = Constant {value = dense<f32[2]> [4.0, 1.0]} : f32[2]
                  %y_scale = Constant {value = dense<f32[2]> [0.5, -2.0]} : f32[2]
                  %y_shift = Constant {value = dense<f32[2]> [0.0, 4.25]} : f32[2]
                  %y = ChannelAffine {axis = 1} (%x, %y_scale, %y_shift) : f32[1,2,2]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 1e-5);
    }

    @Test
    void addOfPerChannelConstantFoldsIntoDenseBias() {
        String before = """
                graph g(%x: f32[1,3,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0, 4.0]} : f32[2,2]
                  %d = Dense (%x, %w) : f32[1,3,2]
                  %b = Constant {value = dense<f32[2]> [0.5, -1.0]} : f32[2]
                  %y = Binary {fn = ADD} (%b, %d) : f32[1,3,2]
                }
                """;
        Graph out = assertRewrites(new FoldBias(), before, """
                graph g(%x: f32[1,3,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0, 4.0]} : f32[2,2]
                  %b = Constant {value = dense<f32[2]> [0.5, -1.0]} : f32[2]
                  %d_bias = Constant {value = dense<f32[2]> [0.5, -1.0]} : f32[2]
                  %y = Dense @d (%x, %w, %d_bias) : f32[1,3,2]
                }
                """);
        assertSameResults(IrParser.parse(before), out, 0);
    }

    @Test
    void addThatBroadcastsBeyondTheLayerIsKept() {
        String text = """
                graph g(%x: f32[1,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0, 4.0]} : f32[2,2]
                  %d = Dense (%x, %w) : f32[1,2]
                  %b = Constant {value = dense<f32[3,2]> [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]} : f32[3,2]
                  %y = Binary {fn = ADD} (%d, %b) : f32[3,2]
                }
                """;
        assertRewrites(new FoldBias(), text, text);
    }
}
