package dev.bnnc.passes;

import static dev.bnnc.passes.PassTesting.assertRewrites;
import static dev.bnnc.passes.PassTesting.assertSameResults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.text.IrParser;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinarizationTest {
    private static Graph run(Graph g, Pass... passes) {
        PassContext ctx = new PassContext();
        for (Pass p : passes) {
            g = p.run(g, ctx);
        }
        return g;
    }

    private static List<Node> ofType(Graph g, Class<?> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).toList();
    }

    @Test
    void signFedDenseWithOneMagnitudePerOutputBecomesBinaryDense() {
        // Column 0 has magnitude 0.5, column 1 magnitude 2 (signs mixed): binary. Packed signs are
        // canonical (each channel's first weight +1), column 1's sign goes into its scale.
        assertRewrites(new Binarize(BinarizeMode.auto()), """
                graph g(%x: f32[1,3]) -> (%y) {
                  %s = Unary {fn = SIGN} (%x) : f32[1,3]
                  %w = Constant {value = dense<f32[3,2]> [0.5, -2.0, -0.5, 2.0, 0.5, 2.0]} : f32[3,2]
                  %y = Dense (%s, %w) : f32[1,2]
                }
                """, """
                graph g(%x: f32[1,3]) -> (%y) {
                  %s = Unary {fn = SIGN} (%x) : f32[1,3]
                  %w = Constant {value = dense<f32[3,2]> [0.5, -2.0, -0.5, 2.0, 0.5, 2.0]} : f32[3,2]
                  %y_signs, %y_signs_1 = PackSigns @y_signs {axis = 1, groups = 1, bipolar = false} (%x) : b64[1,1], b64[2]
                  %w_signs = Constant {value = dense<b64[2,1]> [2, 6]} : b64[2,1]
                  %y_scale = Constant {value = dense<f32[2]> [0.5, -2.0]} : f32[2]
                  %y_bias = Constant {value = dense<f32[2]> [0.0, 0.0]} : f32[2]
                  %y = BinaryDense {inFeatures = 3, maskedInput = true, output = AFFINE, packAxis = 0, packGroups = 1} (%y_signs, %y_signs_1, %w_signs, %y_scale, %y_bias) : f32[1,2]
                }
                """);
    }

    @Test
    void layersThatAreNotBinaryStayFloatWithAReason() {
        Graph g = IrParser.parse("""
                graph g(%x: f32[1,2]) -> (%y, %z) {
                  %s = Unary {fn = SIGN} (%x) : f32[1,2]
                  %w = Constant {value = dense<f32[2,2]> [0.5, 1.0, 0.25, 1.0]} : f32[2,2]
                  %y = Dense (%s, %w) : f32[1,2]
                  %z = Dense (%x, %w) : f32[1,2]
                }
                """);
        PassContext ctx = new PassContext();
        Graph out = new Binarize(BinarizeMode.auto()).run(g, ctx);
        assertEquals(0, ofType(out, BinaryDense.class).size());
        assertTrue(ctx.remarks().get(0).message().contains("output channel 0 have different magnitudes (0.25 to 0.5)"),
                ctx.remarks().toString());
        assertTrue(ctx.remarks().get(1).message().contains("input is not Sign(x)"), ctx.remarks().toString());
    }

    @Test
    void forcedBinarizationAppliesToFloatLayersAndSaysAccuracyIsNotPreserved() {
        Graph g = IrParser.parse("""
                graph g(%x: f32[1,2]) -> (%y) {
                  %w = Constant {value = dense<f32[2,2]> [0.5, 1.0, 0.25, -3.0]} : f32[2,2]
                  %y = Dense @fc (%x, %w) : f32[1,2]
                }
                """);
        PassContext ctx = new PassContext();
        Graph out = new Binarize(BinarizeMode.parse("force=fc")).run(g, ctx);
        assertEquals(1, ofType(out, BinaryDense.class).size());
        assertTrue(ctx.remarks().get(0).message().contains("accuracy is not preserved"), ctx.remarks().toString());
        assertEquals(g, new Binarize(BinarizeMode.off()).run(g, new PassContext()), "off keeps the graph");
    }

    /**
     * A conv chain as BiFSMN has it: binary conv, BatchNorm already folded into its weights
     * (magnitudes per channel, some negative), PReLU, then the next layer's Sign. With some channels
     * of scale 0, negative scales and biases that make exact zeros reachable.
     */
    private static Graph bifsmnBlock(Random r) {
        int c = 6;
        int m = 5;
        float[] w1 = new float[m * c];
        float[] mags = {0.5f, -0.25f, 0f, 1.5f, -2f};
        for (int i = 0; i < w1.length; i++) {
            w1[i] = mags[i / c] * (r.nextBoolean() ? 1 : -1);
        }
        float[] bias = {0.5f, 0.25f, -1f, 0f, 3f}; // channel 3: bias 0, so dot 0 gives an exact 0
        float[] w2 = new float[3 * m];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = r.nextBoolean() ? 0.75f : -0.75f;
        }
        return IrParser.parse("""
                graph block(%x: f32[1,6,4]) -> (%y) {
                  %s1 = Unary {fn = SIGN} (%x) : f32[1,6,4]
                  %w1 = Constant {value = dense<f32[5,6,1]> W1} : f32[5,6,1]
                  %b1 = Constant {value = dense<f32[5]> B1} : f32[5]
                  %c1 = Conv {strides = [1], pads = [0,0], dilations = [1], group = 1} (%s1, %w1, %b1) : f32[1,5,4]
                  %slope = Constant {value = dense<f32[5,1]> [0.25, 0.5, 1.0, 0.1, 2.0]} : f32[5,1]
                  %a1 = Binary {fn = PRELU} (%c1, %slope) : f32[1,5,4]
                  %s2 = Unary {fn = SIGN} (%a1) : f32[1,5,4]
                  %w2 = Constant {value = dense<f32[3,5,1]> W2} : f32[3,5,1]
                  %y = Conv {strides = [1], pads = [0,0], dilations = [1], group = 1} (%s2, %w2) : f32[1,3,4]
                }
                """.replace("W1", list(w1)).replace("B1", list(bias)).replace("W2", list(w2)));
    }

    private static String list(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(v[i]);
        }
        return sb.append("]").toString();
    }

    @Test
    void thresholdFusionIsExactWithFlipsConstantChannelsAndZeros() {
        Graph g = bifsmnBlock(new Random(2));
        Graph binary = run(g, new Binarize(BinarizeMode.auto()), new DeadCodeElimination());
        Graph fused = run(binary, new FuseScales(), new DeadCodeElimination());
        List<Node> convs = ofType(fused, BinaryConv.class);
        assertEquals(2, convs.size());
        BinaryConv first = (BinaryConv) convs.get(0).op();
        assertEquals(BinaryOutput.SIGNS_WITH_ZEROS, first.output(), "channel 3 can give an exact 0");
        assertTrue(((BinaryConv) convs.get(1).op()).maskedInput(), "the next layer reads the zero mask");
        // Bit for bit the same as the unfused graph, also on inputs with exact zeros.
        Random r = new Random(4);
        for (int trial = 0; trial < 50; trial++) {
            float[] x = new float[24];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(5) - 2;
            }
            List<Tensor> in = List.of(Tensor.ofFloats(g.inputs().get(0).shape(), x));
            assertEquals(Interpreter.run(binary, in), Interpreter.run(fused, in), "trial " + trial);
        }
        assertSameResults(g, fused, 1e-5);
    }

    @Test
    void memoryConvIsTimePackedAndBipolarChainsNeedNoMask() {
        Graph g = IrParser.parse("""
                graph g(%x: f32[1,2,8]) -> (%y) {
                  %b = Unary {fn = BIPOLAR} (%x) : f32[1,2,8]
                  %half = Constant {value = dense<f32[]> [0.5]} : f32[]
                  %q = Binary {fn = MUL} (%b, %half) : f32[1,2,8]
                  %w = Constant {value = dense<f32[2,1,3]> [1.0, -1.0, 1.0, -2.0, -2.0, 2.0]} : f32[2,1,3]
                  %y = Conv {strides = [1], pads = [1,1], dilations = [1], group = 2} (%q, %w) : f32[1,2,8]
                }
                """);
        Graph out = run(g, new Binarize(BinarizeMode.auto()), new DeadCodeElimination());
        Node mem = ofType(out, BinaryDepthwiseConv1d.class).get(0);
        BinaryDepthwiseConv1d op = (BinaryDepthwiseConv1d) mem.op();
        assertEquals(false, op.maskedInput(), "BipolarQuant signs are never 0");
        Value scale = mem.input(op.parameterInput());
        assertEquals(Tensor.ofFloats(scale.shape(), 0.5f, -1f), out.constant(scale).orElseThrow(),
                "|w| times the activation scale, negative where the channel's first weight is");
        assertSameResults(g, out, 1e-6);
        assertInstanceOf(BinaryDepthwiseConv1d.class, mem.op());
    }
}
