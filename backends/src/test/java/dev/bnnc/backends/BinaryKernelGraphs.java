package dev.bnnc.backends;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Small graphs of binary layers covering the shapes the kernels treat apart (padding, strides,
 * groups, depthwise, many words, exact zeros, thresholds, fused element-wise tails, and the
 * BiFSMN front end and block), with inputs that hit the zero and no-zero paths, for the tests
 * that hold generated code to the interpreter bit for bit.
 */
public final class BinaryKernelGraphs {
    private final Random random = new Random(17);

    /** The graphs by name, built in a fixed order (their weights come from one seeded generator). */
    public Map<String, Graph> all() {
        Map<String, Supplier<Graph>> cases = new LinkedHashMap<>();
        cases.put("convChainWithPaddingZerosAndThresholds", this::convChain);
        cases.put("depthwiseMemoryConv", this::depthwiseMemoryConv);
        cases.put("depthwiseOneWord", () -> timePackedDepthwise(new int[] {8, 5, 1, 2, 2, 1}));
        cases.put("depthwiseTwoWordsDilated", () -> timePackedDepthwise(new int[] {100, 7, 2, 3, 1, 2}));
        cases.put("depthwiseLongOutput", () -> timePackedDepthwise(new int[] {64, 3, 1, 0, 5, 1}));
        cases.put("depthwiseTwoBatchesOfEight", () -> timePackedDepthwise(new int[] {16, 5, 1, 2, 2, 1}));
        cases.put("depthwiseStrideTwo", () -> timePackedDepthwise(new int[] {32, 2, 2, 0, 0, 1}));
        cases.put("depthwiseWideKernel", () -> timePackedDepthwise(new int[] {16, 9, 1, 4, 4, 1}));
        cases.put("depthwiseWholeWord", () -> timePackedDepthwise(new int[] {64, 5, 1, 2, 2, 1}));
        cases.put("groupedConvolutions", this::grouped);
        cases.put("denseChainOverManyWords", this::denseChain);
        cases.put("biFsmnFrontEnd", this::frontEnd);
        cases.put("biFsmnBlock", this::block);
        cases.put("stridedWithoutPadding", this::strided);
        cases.put("largeKernel", this::largeKernel);
        cases.put("channelsPackedFromTheInput", this::channelsPacked);
        Map<String, Graph> graphs = new LinkedHashMap<>();
        cases.forEach((name, graph) -> graphs.put(name, graph.get()));
        return graphs;
    }

    /** The graphs whose input is packed straight away: in them a lone ±0 or NaN of the input reaches a packing kernel. */
    public static final List<String> PACKED_INPUTS = List.of("channelsPackedFromTheInput", "depthwiseMemoryConv",
            "depthwiseOneWord", "biFsmnBlock");

    /**
     * One input case per element of a graph's input: nonzero floats, but that element +0, -0 or NaN
     * (in turn), so that each slot of a packing kernel's vectors holds the lone special value once.
     */
    public List<float[]> loneSpecials(Graph g) {
        int size = g.inputs().get(0).type().size();
        float[] specials = {0f, -0f, Float.NaN};
        List<float[]> all = new ArrayList<>();
        for (int at = 0; at < size; at++) {
            float[] data = new float[size];
            for (int i = 0; i < size; i++) {
                data[i] = (random.nextBoolean() ? 1 : -1) * (0.25f + 0.75f * random.nextFloat());
            }
            data[at] = specials[at % specials.length];
            all.add(data);
        }
        return all;
    }

    /**
     * Input cases for a graph: all ones (no zero anywhere), then small integers (exact zeros
     * occur), then floats with one -0 and one NaN.
     */
    public List<float[]> inputs(Graph g, int cases) {
        int size = g.inputs().get(0).type().size();
        List<float[]> all = new ArrayList<>();
        for (int trial = 0; trial < cases; trial++) {
            float[] data = new float[size];
            if (trial == 0) {
                Arrays.fill(data, 1f);
            } else if (trial == cases - 1) {
                for (int i = 0; i < size; i++) {
                    data[i] = random.nextFloat() * 2 - 1;
                }
                data[random.nextInt(size)] = -0f;
                data[random.nextInt(size)] = Float.NaN;
            } else {
                for (int i = 0; i < size; i++) {
                    data[i] = trial % 2 == 0 ? random.nextInt(7) - 3 : random.nextFloat() * 2 - 1; // zeros, or none
                }
            }
            all.add(data);
        }
        return all;
    }

    private Graph convChain() {
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
        return b.build();
    }

    private Graph depthwiseMemoryConv() {
        GraphBuilder b = new GraphBuilder("memory");
        Value x = b.input("x", TensorType.f32(1, 128, 8));
        Node packed = b.add("pack", new PackSigns(1, 128, false), List.of(x), List.of("xb", "xz"));
        Value w = weights(b, "w", Shape.of(128, 1, 5));
        b.output(b.add("mem", new BinaryConv(List.of(1), List.of(2, 2), List.of(1), 128, 128, true, BinaryOutput.AFFINE, 0, 1),
                packed.outputs().get(0), packed.outputs().get(1), w, floats(b, "s", 128), floats(b, "t", 128)));
        return b.build();
    }

    /**
     * Depthwise over time, geometry {length, kernel, stride, padBegin, padEnd, dilation}: one word
     * (the D-FSMN memory), two words with dilation, a long output, and for the SIMD kernels' two
     * forms (8 windows in 16 bits, or each in 64) stride 2, a kernel of 9 and a whole word.
     */
    private Graph timePackedDepthwise(int[] g) {
        GraphBuilder b = new GraphBuilder("depthwise");
        Value x = b.input("x", TensorType.f32(2, 8, g[0]));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
        BinaryDepthwiseConv1d op = new BinaryDepthwiseConv1d(g[0], g[1], g[2], g[3], g[4], g[5], true, BinaryOutput.AFFINE, 0, 1);
        b.output(b.add("mem", op, packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(8, g[1])),
                floats(b, "s", 8), floats(b, "t", 8)));
        return b.build();
    }

    private Graph grouped() {
        GraphBuilder b = new GraphBuilder("grouped");
        Value x = b.input("x", TensorType.f32(1, 8, 4, 4));
        Value bits = b.add("pack", new PackSigns(1, 2, true), x);
        long[][] t = thresholds(6, 0);
        Value conv = b.add("conv", new BinaryConv(List.of(1, 1), List.of(1, 1, 1, 1), List.of(1, 1), 2, 8, false,
                BinaryOutput.SIGNS, 1, 3), bits, weights(b, "w1", Shape.of(6, 4, 3, 3)),
                b.constant("lo", Tensor.ofLongs(Shape.of(6), t[1])), b.constant("hi", Tensor.ofLongs(Shape.of(6), t[1])));
        b.output(b.add("out", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 3, 6, false,
                BinaryOutput.AFFINE, 0, 1), conv, weights(b, "w2", Shape.of(3, 2, 1, 1)), floats(b, "s", 3), floats(b, "t", 3)));
        return b.build();
    }

    /** Dense over 10 words into signs, then over 3 words (an odd count) into 16 floats. */
    private Graph denseChain() {
        GraphBuilder b = new GraphBuilder("dense");
        Value x = b.input("x", TensorType.f32(1, 8, 600));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
        long[][] t = thresholds(136, 30);
        Value h = b.add("d1", new BinaryDense(600, true, BinaryOutput.SIGNS, 2, 1), packed.outputs().get(0),
                packed.outputs().get(1), weights(b, "w1", Shape.of(136, 600)),
                b.constant("lo", Tensor.ofLongs(Shape.of(136), t[1])), b.constant("hi", Tensor.ofLongs(Shape.of(136), t[1])));
        Value y = b.add("d2", new BinaryDense(136, false, BinaryOutput.AFFINE, 0, 1), h, weights(b, "w2", Shape.of(16, 136)),
                floats(b, "s", 16), floats(b, "t", 16));
        b.output(b.add("act", new Binary(BinaryFn.PRELU), y, floats(b, "slope", 16)));
        return b.build();
    }

    /** Float-free BiFSMN front end: 5x5 stride-2 binary conv over 32 channels with padding 2, PReLU after it. */
    private Graph frontEnd() {
        GraphBuilder b = new GraphBuilder("front");
        Value x = b.input("x", TensorType.f32(1, 32, 16, 16));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        Value conv = b.add("conv2", new BinaryConv(List.of(2, 2), List.of(2, 2, 2, 2), List.of(1, 1), 1, 32, true,
                BinaryOutput.AFFINE, 0, 1), packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(32, 32, 5, 5)),
                floats(b, "s", 32), floats(b, "t", 32));
        b.output(b.add("act", new Binary(BinaryFn.PRELU), conv, b.constant("slope",
                Tensor.ofFloats(Shape.of(32, 1, 1), randomFloats(32)))));
        return b.build();
    }

    /**
     * One D-FSMN block: memory (depthwise over time, k=5, padding 2) -> PReLU -> residual add, 1x1
     * expand 128->256 into signs, 1x1 project 256->128 -> PReLU -> residual add.
     */
    private Graph block() {
        GraphBuilder b = new GraphBuilder("block");
        Value h = b.input("h", TensorType.f32(1, 128, 8));
        Node time = b.add("packTime", new PackSigns(2, 1, false), List.of(h), List.of("tb", "tz"));
        Value m = b.add("memory", new BinaryDepthwiseConv1d(8, 5, 1, 2, 2, 1, true, BinaryOutput.AFFINE, 0, 1),
                time.outputs().get(0), time.outputs().get(1), weights(b, "wm", Shape.of(128, 5)), floats(b, "sm", 128),
                floats(b, "tm", 128));
        Value pm = b.add("memoryAct", new Binary(BinaryFn.PRELU), m, b.constant("slopeM", Tensor.ofFloats(Shape.of(128, 1),
                slopes(128, 0f, 1f))));
        Value h1 = b.add("add", new Binary(BinaryFn.ADD), h, pm);
        Node channels = b.add("packChannels", new PackSigns(1, 1, false), List.of(h1), List.of("cb", "cz"));
        long[][] t = thresholds(256, 12);
        Value e = b.add("expand", new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 1, 128, true, BinaryOutput.SIGNS, 1, 1),
                channels.outputs().get(0), channels.outputs().get(1), weights(b, "we", Shape.of(256, 128, 1)),
                b.constant("lo", Tensor.ofLongs(Shape.of(256), t[1])), b.constant("hi", Tensor.ofLongs(Shape.of(256), t[1])));
        Value p = b.add("project", new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 1, 256, false, BinaryOutput.AFFINE, 0, 1),
                e, weights(b, "wp", Shape.of(128, 256, 1)), floats(b, "sp", 128), floats(b, "tp", 128));
        Value pp = b.add("projectAct", new Binary(BinaryFn.PRELU), p, b.constant("slopeP", Tensor.ofFloats(Shape.of(128, 1),
                slopes(128, 1f, 3f))));
        b.output(b.add("add1", new Binary(BinaryFn.ADD), h1, pp));
        return b.build();
    }

    /** Stride 2 without padding (no image needed), into signs with zeros in 2 pack groups, then a grouped 1x1 into floats. */
    private Graph strided() {
        GraphBuilder b = new GraphBuilder("strided");
        Value x = b.input("x", TensorType.f32(1, 64, 9, 9));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        long[][] t = thresholds(16, 30);
        Node conv = b.add("conv", new BinaryConv(List.of(2, 2), List.of(0, 0, 0, 0), List.of(1, 1), 1, 64, true,
                BinaryOutput.SIGNS_WITH_ZEROS, 1, 2), List.of(packed.outputs().get(0), packed.outputs().get(1),
                weights(b, "w1", Shape.of(16, 64, 3, 3)), b.constant("lo", Tensor.ofLongs(Shape.of(16), t[0])),
                b.constant("hi", Tensor.ofLongs(Shape.of(16), t[1]))), List.of("cb", "cz"));
        b.output(b.add("proj", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 2, 16, true,
                BinaryOutput.AFFINE, 0, 1), conv.outputs().get(0), conv.outputs().get(1), weights(b, "w2", Shape.of(16, 8, 1, 1)),
                floats(b, "s", 16), floats(b, "t", 16)));
        return b.build();
    }

    /** A 13x13 kernel over one channel with padding 6: its taps are gathered by a loop. */
    private Graph largeKernel() {
        GraphBuilder b = new GraphBuilder("large");
        Value x = b.input("x", TensorType.f32(1, 1, 9, 9));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        b.output(b.add("large", new BinaryConv(List.of(1, 1), List.of(6, 6, 6, 6), List.of(1, 1), 1, 1, true,
                BinaryOutput.AFFINE, 0, 1), packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(8, 1, 13, 13)),
                floats(b, "s", 8), floats(b, "t", 8)));
        return b.build();
    }

    /** 70 channels packed from the input (a word and 6 bits per position, 4 positions per vector), then a 1x1 into floats. */
    private Graph channelsPacked() {
        GraphBuilder b = new GraphBuilder("channels");
        Value x = b.input("x", TensorType.f32(1, 70, 8));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        b.output(b.add("proj", new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 1, 70, true, BinaryOutput.AFFINE, 0, 1),
                packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(16, 70, 1)), floats(b, "s", 16),
                floats(b, "t", 16)));
        return b.build();
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

    private float[] randomFloats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * PRelu slopes in (lo, hi], hi among them: the epilogues take the larger of x and its product
     * for slopes in (0, 1], the smaller above 1 (and select for other slopes, as in the other graphs).
     */
    private float[] slopes(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i == 0 ? hi : hi - random.nextFloat() * (hi - lo);
        }
        return v;
    }

    private Value floats(GraphBuilder b, String name, int n) {
        return b.constant(name, Tensor.ofFloats(Shape.of(n), randomFloats(n)));
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
