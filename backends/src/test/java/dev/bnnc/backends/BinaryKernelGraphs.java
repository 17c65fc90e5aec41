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
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
        cases.put("denseOverFortyWordsEveryBitOpposite", this::denseEveryBitOpposite);
        cases.put("biFsmnFrontEnd", this::frontEnd);
        cases.put("biFsmnBlock", this::block);
        cases.put("stridedWithoutPadding", this::strided);
        cases.put("largeKernel", this::largeKernel);
        cases.put("channelsPackedFromTheInput", this::channelsPacked);
        cases.put("pointwiseIntoSignsWithZeros", this::pointwiseSignsWithZeros);
        sweep(cases);
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
                longs(b, "lo", t[0]), longs(b, "hi", t[1])),
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
                longs(b, "lo", t[1]), longs(b, "hi", t[1]));
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
                longs(b, "lo", t[1]), longs(b, "hi", t[1]));
        Value y = b.add("d2", new BinaryDense(136, false, BinaryOutput.AFFINE, 0, 1), h, weights(b, "w2", Shape.of(16, 136)),
                floats(b, "s", 16), floats(b, "t", 16));
        b.output(b.add("act", new Binary(BinaryFn.PRELU), y, floats(b, "slope", 16)));
        return b.build();
    }

    /**
     * Dense over 40 words with every input sign opposite its weight's (inputs made negative, weights
     * all +1): each byte of the XOR counts 8 per word, 320 in all, so that a kernel adding more than
     * 31 words' byte counts in bytes (before widening, as AVX2's psadbw sums) overflows.
     */
    private Graph denseEveryBitOpposite() {
        GraphBuilder b = new GraphBuilder("opposite");
        int features = 2500;
        Value x = b.input("x", TensorType.f32(1, 2, features));
        Value negative = b.add("neg", new Unary(UnaryFn.NEG), b.add("abs", new Unary(UnaryFn.ABS), x));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(negative), List.of("xb", "xz"));
        float[] ones = new float[16 * features];
        Arrays.fill(ones, 1);
        Value w = weights(b, "w", Shape.of(16, features), ones);
        b.output(b.add("dense", new BinaryDense(features, true, BinaryOutput.AFFINE, 0, 1), packed.outputs().get(0),
                packed.outputs().get(1), w, floats(b, "s", 16), floats(b, "t", 16)));
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
                longs(b, "lo", t[1]), longs(b, "hi", t[1]));
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
                weights(b, "w1", Shape.of(16, 64, 3, 3)), longs(b, "lo", t[0]),
                longs(b, "hi", t[1])), List.of("cb", "cz"));
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

    /**
     * A 1x1 layer over 150 channels (3 words a position) into signs with zeros, 48 channels in 2
     * pack groups (24 bits of a word each), at 6 positions (AVX-512 takes them 3 at a time), then a
     * grouped 1x1 into floats.
     */
    private Graph pointwiseSignsWithZeros() {
        GraphBuilder b = new GraphBuilder("pointwiseZeros");
        Value x = b.input("x", TensorType.f32(1, 150, 6));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        long[][] t = thresholds(48, 20);
        Node conv = b.add("conv", new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 1, 150, true, BinaryOutput.SIGNS_WITH_ZEROS, 1,
                2), List.of(packed.outputs().get(0), packed.outputs().get(1), weights(b, "w1", Shape.of(48, 150, 1)),
                longs(b, "lo", t[0]), longs(b, "hi", t[1])),
                List.of("cb", "cz"));
        b.output(b.add("proj", new BinaryConv(List.of(1), List.of(0, 0), List.of(1), 2, 48, true, BinaryOutput.AFFINE, 0, 1),
                conv.outputs().get(0), conv.outputs().get(1), weights(b, "w2", Shape.of(16, 24, 1)), floats(b, "s", 16),
                floats(b, "t", 16)));
        return b.build();
    }

    // ---- random geometries ----

    /**
     * Seeded random geometries, named by them: depthwise convolutions over time (half of them with
     * an output length the SIMD kernels take, a multiple of 8), 1-D and 2-D convolutions and dense
     * layers into floats (a PReLU of a random slope class after them) or into signs (a 1x1 layer
     * into floats after them), so that the kernels' conditions on geometry meet cases no one chose.
     */
    private void sweep(Map<String, Supplier<Graph>> cases) {
        Random g = new Random(29);
        for (int i = 0; i < 10; i++) {
            int[] d = depthwiseGeometry(g);
            cases.put("sweepDepthwise" + Arrays.toString(d), () -> sweptDepthwise(d));
        }
        for (int i = 0; i < 12; i++) {
            int[] c = convGeometry(g, i % 2 == 0 ? 1 : 2);
            cases.put("sweepConv" + Arrays.toString(c), () -> sweptConv(c));
        }
        for (int i = 0; i < 4; i++) {
            int[] d = {pick(g, 50, 64, 128, 256, 600), pick(g, 8, 16, 136), 1 + g.nextInt(8), g.nextInt(2)};
            cases.put("sweepDense" + Arrays.toString(d), () -> sweptDense(d));
        }
    }

    private static int pick(Random g, int... choices) {
        return choices[g.nextInt(choices.length)];
    }

    /** {batch, channels, length, kernel, stride, padBegin, padEnd, dilation, slope class}. */
    private static int[] depthwiseGeometry(Random g) {
        while (true) {
            int kernel = 1 + g.nextInt(12);
            int stride = g.nextInt(3) == 0 ? 2 : 1;
            int dilation = g.nextInt(4) == 0 ? 2 : 1;
            int padBegin = g.nextInt(5);
            int padEnd = g.nextInt(5);
            int span = dilation * (kernel - 1) + 1;
            int length = g.nextBoolean() ? (8 * (1 + g.nextInt(4)) - 1) * stride + span - padBegin - padEnd : 1 + g.nextInt(120);
            if (length >= 1 && length <= 126 && length + padBegin + padEnd >= span) {
                return new int[] {1 + g.nextInt(2), pick(g, 8, 16, 24, 128), length, kernel, stride, padBegin, padEnd, dilation,
                        g.nextInt(3)};
            }
        }
    }

    /**
     * {rank, batch, channels, outputs, signs out (0/1), slope class, then per spatial axis: size,
     * kernel, stride, padBegin, padEnd}.
     */
    private static int[] convGeometry(Random g, int rank) {
        while (true) {
            int[] c = new int[6 + 5 * rank];
            c[0] = rank;
            c[1] = 1 + g.nextInt(2);
            c[2] = rank == 1 ? pick(g, 8, 16, 64, 70, 128, 256) : pick(g, 1, 8, 32, 70);
            c[3] = pick(g, 8, 16, 24, 32, 136);
            c[4] = g.nextInt(2);
            c[5] = g.nextInt(3);
            boolean fits = true;
            for (int a = 0; a < rank; a++) {
                int at = 6 + 5 * a;
                c[at] = 1 + g.nextInt(rank == 1 ? 16 : 12);
                c[at + 1] = rank == 1 ? pick(g, 1, 1, 3, 5) : 1 + g.nextInt(5);
                c[at + 2] = g.nextInt(3) == 0 ? 2 : 1;
                c[at + 3] = g.nextInt(3);
                c[at + 4] = g.nextInt(3);
                fits &= c[at] + c[at + 3] + c[at + 4] >= c[at + 1];
            }
            if (fits) {
                return c;
            }
        }
    }

    private Graph sweptDepthwise(int[] d) {
        GraphBuilder b = new GraphBuilder("depthwise");
        Value x = b.input("x", TensorType.f32(d[0], d[1], d[2]));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
        BinaryDepthwiseConv1d op = new BinaryDepthwiseConv1d(d[2], d[3], d[4], d[5], d[6], d[7], true, BinaryOutput.AFFINE, 0, 1);
        Value y = b.add("mem", op, packed.outputs().get(0), packed.outputs().get(1), weights(b, "w", Shape.of(d[1], d[3])),
                floats(b, "s", d[1]), floats(b, "t", d[1]));
        b.output(b.add("act", new Binary(BinaryFn.PRELU), y, b.constant("slope", Tensor.ofFloats(Shape.of(d[1], 1),
                slopesOfClass(d[1], d[8])))));
        return b.build();
    }

    private Graph sweptConv(int[] c) {
        int rank = c[0];
        int channels = c[2];
        int outputs = c[3];
        boolean signs = c[4] == 1;
        int[] input = new int[2 + rank];
        int[] kernel = new int[2 + rank];
        int[] ones = new int[2 + rank];
        List<Integer> strides = new ArrayList<>();
        List<Integer> pads = new ArrayList<>(Collections.nCopies(2 * rank, 0));
        input[0] = c[1];
        input[1] = channels;
        kernel[0] = outputs;
        kernel[1] = channels;
        ones[0] = 8;
        ones[1] = outputs;
        int taps = channels;
        for (int a = 0; a < rank; a++) {
            int at = 6 + 5 * a;
            input[2 + a] = c[at];
            kernel[2 + a] = c[at + 1];
            ones[2 + a] = 1;
            taps *= c[at + 1];
            strides.add(c[at + 2]);
            pads.set(a, c[at + 3]);
            pads.set(rank + a, c[at + 4]);
        }
        List<Integer> dilations = Collections.nCopies(rank, 1);
        GraphBuilder b = new GraphBuilder("conv");
        Value x = b.input("x", TensorType.f32(input));
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xb", "xz"));
        Value w = weights(b, "w", Shape.of(kernel));
        if (!signs) {
            Value y = b.add("conv", new BinaryConv(strides, pads, dilations, 1, channels, true, BinaryOutput.AFFINE, 0, 1),
                    packed.outputs().get(0), packed.outputs().get(1), w, floats(b, "s", outputs), floats(b, "t", outputs));
            int[] slopeShape = new int[1 + rank];
            Arrays.fill(slopeShape, 1);
            slopeShape[0] = outputs;
            b.output(b.add("act", new Binary(BinaryFn.PRELU), y, b.constant("slope", Tensor.ofFloats(Shape.of(slopeShape),
                    slopesOfClass(outputs, c[5])))));
            return b.build();
        }
        long[][] t = thresholds(outputs, Math.max(2, (int) Math.sqrt(taps)));
        Value h = b.add("conv", new BinaryConv(strides, pads, dilations, 1, channels, true, BinaryOutput.SIGNS, 1, 1),
                packed.outputs().get(0), packed.outputs().get(1), w, longs(b, "lo", t[1]),
                longs(b, "hi", t[1]));
        b.output(b.add("proj", new BinaryConv(Collections.nCopies(rank, 1), Collections.nCopies(2 * rank, 0), dilations, 1, outputs,
                false, BinaryOutput.AFFINE, 0, 1), h, weights(b, "w2", Shape.of(ones)), floats(b, "s", 8), floats(b, "t", 8)));
        return b.build();
    }

    /** {in features, outputs, rows, signs out (0/1)}. */
    private Graph sweptDense(int[] d) {
        GraphBuilder b = new GraphBuilder("dense");
        Value x = b.input("x", TensorType.f32(1, d[2], d[0]));
        Node packed = b.add("pack", new PackSigns(2, 1, false), List.of(x), List.of("xb", "xz"));
        Value w = weights(b, "w", Shape.of(d[1], d[0]));
        if (d[3] == 0) {
            Value y = b.add("dense", new BinaryDense(d[0], true, BinaryOutput.AFFINE, 0, 1), packed.outputs().get(0),
                    packed.outputs().get(1), w, floats(b, "s", d[1]), floats(b, "t", d[1]));
            b.output(b.add("act", new Binary(BinaryFn.PRELU), y, b.constant("slope", Tensor.ofFloats(Shape.of(d[1]),
                    slopesOfClass(d[1], d[1] % 3)))));
            return b.build();
        }
        long[][] t = thresholds(d[1], Math.max(2, (int) Math.sqrt(d[0])));
        Value h = b.add("dense", new BinaryDense(d[0], true, BinaryOutput.SIGNS, 2, 1), packed.outputs().get(0),
                packed.outputs().get(1), w, longs(b, "lo", t[1]),
                longs(b, "hi", t[1]));
        b.output(b.add("proj", new BinaryDense(d[1], false, BinaryOutput.AFFINE, 0, 1), h, weights(b, "w2", Shape.of(8, d[1])),
                floats(b, "s", 8), floats(b, "t", 8)));
        return b.build();
    }

    /** PRelu slopes of class 0 (mixed signs), 1 (in (0, 1]) or 2 (in (1, 3]). */
    private float[] slopesOfClass(int n, int slopeClass) {
        return switch (slopeClass) {
            case 1 -> slopes(n, 0f, 1f);
            case 2 -> slopes(n, 1f, 3f);
            default -> randomFloats(n);
        };
    }

    /** Random ±1 weights of logical shape [M, rest...], packed per output channel. */
    private Value weights(GraphBuilder b, String name, Shape logical) {
        float[] v = new float[logical.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextBoolean() ? 1 : -1;
        }
        return weights(b, name, logical, v);
    }

    /** Weights of signs {@code v} (±1, row-major over {@code logical}), packed. */
    private Value weights(GraphBuilder b, String name, Shape logical, float[] v) {
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

    /** A per-channel integer constant: thresholds. */
    private static Value longs(GraphBuilder b, String name, long[] values) {
        return b.constant(name, Tensor.ofLongs(Shape.of(values.length), values));
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
