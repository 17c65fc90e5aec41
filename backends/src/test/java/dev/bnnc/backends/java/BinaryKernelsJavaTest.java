package dev.bnnc.backends.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.passes.plan.BufferPlanner;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generated XNOR-popcount kernels against the interpreter's plain definition, bit for bit:
 * padding, strides, groups, depthwise, more than 64 channels, exact zeros, threshold chains.
 */
class BinaryKernelsJavaTest {
    private final Random random = new Random(17);

    @Test
    void convChainWithPaddingZerosAndThresholds() {
        GraphBuilder b = new GraphBuilder("chain");
        Value x = b.input("x", TensorType.f32(1, 70, 6, 5));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        Value w1 = weights(b, "w1", Shape.of(9, 70, 3, 3));
        long[][] t = thresholds(9, 40);
        Node conv = b.add("conv", new BinaryConv(List.of(2, 1), List.of(1, 0, 1, 2), List.of(1, 1), 1, 70, true,
                BinaryOutput.SIGNS_WITH_ZEROS, 1, 1), List.of(packed.outputs().get(0), packed.outputs().get(1), w1,
                b.constant("lo", Tensor.ofLongs(Shape.of(9), t[0])), b.constant("hi", Tensor.ofLongs(Shape.of(9), t[1]))),
                List.of("cb", "cz"));
        Value w2 = weights(b, "w2", Shape.of(4, 9, 1, 1));
        b.output(b.add("proj", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1, 9, true,
                BinaryOutput.AFFINE, 0, 1), conv.outputs().get(0), conv.outputs().get(1), w2, floats(b, "s", 4), floats(b, "t", 4)));
        assertGeneratedEqualsInterpreter(b.build());
    }

    @Test
    void depthwiseMemoryConv() {
        GraphBuilder b = new GraphBuilder("memory");
        Value x = b.input("x", TensorType.f32(1, 128, 8));
        Node packed = b.add("pack", new PackSigns(1, 128, false), List.of(x), List.of("xb", "xz"));
        Value w = weights(b, "w", Shape.of(128, 1, 5));
        b.output(b.add("mem", new BinaryConv(List.of(1), List.of(2, 2), List.of(1), 128, 128, true, BinaryOutput.AFFINE, 0, 1),
                packed.outputs().get(0), packed.outputs().get(1), w, floats(b, "s", 128), floats(b, "t", 128)));
        assertGeneratedEqualsInterpreter(b.build());
    }

    @Test
    void timePackedDepthwiseConvOneWordAndMany() {
        for (int[] g : new int[][] {{8, 5, 1, 2, 2, 1}, {100, 7, 2, 3, 1, 2}, {64, 3, 1, 0, 5, 1}}) {
            GraphBuilder b = new GraphBuilder("depthwise");
            Value x = b.input("x", TensorType.f32(2, 6, g[0]));
            Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
            BinaryDepthwiseConv1d op = new BinaryDepthwiseConv1d(g[0], g[1], g[2], g[3], g[4], g[5], true, BinaryOutput.AFFINE, 0, 1);
            b.output(b.add("mem", op, packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(6, g[1])),
                    floats(b, "s", 6), floats(b, "t", 6)));
            assertGeneratedEqualsInterpreter(b.build());
        }
    }

    @Test
    void groupedConvolutions() {
        GraphBuilder b = new GraphBuilder("grouped");
        Value x = b.input("x", TensorType.f32(1, 8, 4, 4));
        Value bits = b.add("pack", new PackSigns(1, 2, true), x);
        long[][] t = thresholds(6, 0);
        Value conv = b.add("conv", new BinaryConv(List.of(1, 1), List.of(1, 1, 1, 1), List.of(1, 1), 2, 8, false,
                BinaryOutput.SIGNS, 1, 3), bits, weights(b, "w1", Shape.of(6, 4, 3, 3)),
                b.constant("lo", Tensor.ofLongs(Shape.of(6), t[1])), b.constant("hi", Tensor.ofLongs(Shape.of(6), t[1])));
        b.output(b.add("out", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 3, 6, false,
                BinaryOutput.AFFINE, 0, 1), conv, weights(b, "w2", Shape.of(3, 2, 1, 1)), floats(b, "s", 3), floats(b, "t", 3)));
        assertGeneratedEqualsInterpreter(b.build());
    }

    @Test
    void denseChainOverManyWords() {
        GraphBuilder b = new GraphBuilder("dense");
        Value x = b.input("x", TensorType.f32(1, 8, 600));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
        long[][] t = thresholds(130, 30);
        Value h = b.add("d1", new BinaryDense(600, true, BinaryOutput.SIGNS, 2, 1), packed.outputs().get(0),
                packed.outputs().get(1), weights(b, "w1", Shape.of(130, 600)),
                b.constant("lo", Tensor.ofLongs(Shape.of(130), t[1])), b.constant("hi", Tensor.ofLongs(Shape.of(130), t[1])));
        b.output(b.add("d2", new BinaryDense(130, false, BinaryOutput.AFFINE, 0, 1), h, weights(b, "w2", Shape.of(12, 130)),
                floats(b, "s", 12), floats(b, "t", 12)));
        assertGeneratedEqualsInterpreter(b.build());
    }

    private void assertGeneratedEqualsInterpreter(Graph g) {
        Value in = g.inputs().get(0);
        String source = JavaBackend.generate(BufferPlanner.plan(g), "t", "Binary", "a test graph");
        Class<?> cls = JavaSourceCompiler.compile("t.Binary", source);
        try {
            Object model = cls.getConstructor().newInstance();
            for (int trial = 0; trial < 5; trial++) {
                float[] data = new float[in.type().size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = random.nextInt(7) - 3; // exact zeros occur
                }
                if (trial == 0) {
                    java.util.Arrays.fill(data, 1f); // and a run without any
                }
                float[] expected = Interpreter.run(g, List.of(Tensor.ofFloats(in.type().shape(), data))).get(0).toFloatArray();
                float[] actual = (float[]) cls.getMethod("run", float[].class).invoke(model, (Object) data);
                assertArrayEquals(expected, actual, "trial " + trial);
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Random ±1 weights of logical shape [M, rest...], packed per output channel. */
    private Value weights(GraphBuilder b, String name, Shape logical) {
        float[] v = new float[logical.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextBoolean() ? 1 : -1;
        }
        PackLayout layout = new PackLayout(1, 1);
        return b.constant(name, Tensor.adoptBits(layout.packed(logical), layout.pack(v, logical, null)));
    }

    private Value floats(GraphBuilder b, String name, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return b.constant(name, Tensor.ofFloats(Shape.of(n), v));
    }

    /** Per-channel {lo, hi} with lo <= hi, around 0 within {@code spread}. */
    private long[][] thresholds(int n, int spread) {
        long[][] t = new long[2][n];
        for (int i = 0; i < n; i++) {
            t[0][i] = random.nextInt(2 * spread + 1) - spread;
            t[1][i] = t[0][i] + random.nextInt(3);
        }
        return t;
    }
}
