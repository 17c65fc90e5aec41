package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.bnnc.frontend.onnx.export.ExportException;
import dev.bnnc.frontend.onnx.export.OnnxExporter;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter on what the golden catalog (which checks it on every imported case, see {@link Golden})
 * does not reach: ops that only passes create, attribute values the importer never produces, names,
 * outputs, errors, and the bundled real models.
 */
class OnnxExporterTest {
    private static final Path KWS = Path.of("../examples/models/alibaba_kws.onnx");
    private static final Path TFC = Path.of("../examples/models/TFC_1W1A.onnx");

    @TestFactory
    Stream<DynamicTest> dense() {
        return Stream.of(
                dynamicTest("with bias, rank 3", () -> check(single(new Dense(), new int[] {2, 3, 4},
                        random(4, 5), random(5)))),
                dynamicTest("without bias", () -> check(single(new Dense(), new int[] {3, 4}, random(4, 2)))),
                dynamicTest("vector input", () -> check(single(new Dense(), new int[] {4}, random(4, 3), random(3)))));
    }

    /** The weight rebuilt by MatMul, Reshape, Slice (when the product is longer) and Reshape, as PyTorch exports it. */
    @TestFactory
    Stream<DynamicTest> factoredDense() {
        return Stream.of(
                dynamicTest("cut, with bias", () -> check(single(new FactoredDense(4, 3, false), new int[] {2, 4},
                        random(3, 2), random(2, 5), random(3)))),
                dynamicTest("transposed, rank 3", () -> check(single(new FactoredDense(4, 3, true), new int[] {2, 1, 4},
                        random(3, 2), random(2, 5)))),
                dynamicTest("product of exactly K·N values", () -> check(single(new FactoredDense(6, 2, true), new int[] {6},
                        random(4, 1), random(1, 3), random(2)))));
    }

    @TestFactory
    Stream<DynamicTest> channelAffine() {
        return Stream.of(
                dynamicTest("axis 1 of rank 4", () -> check(single(new ChannelAffine(1), new int[] {2, 3, 4, 5},
                        random(3), random(3)))),
                dynamicTest("last axis", () -> check(single(new ChannelAffine(2), new int[] {2, 3, 4}, random(4), random(4)))),
                dynamicTest("axis 0", () -> check(single(new ChannelAffine(0), new int[] {3, 4}, random(3), random(3)))));
    }

    /** x >= 0 ? 1 : -1, where ONNX Sign would give 0 for zeros. */
    @Test
    void bipolarOnZeros() {
        Graph g = single(new Unary(UnaryFn.BIPOLAR), new int[] {8});
        Tensor x = Tensor.ofFloats(Shape.of(8), -0f, 0f, -Float.MIN_VALUE, 1e-30f, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, -2f, 0.5f);
        Tensor expected = Tensor.ofFloats(Shape.of(8), 1, 1, -1, 1, -1, 1, -1, 1);
        assertEquals(expected, Interpreter.run(g, List.of(x)).get(0));
        ExportRoundTrip.check(g, List.of(x), List.of(expected));
    }

    @TestFactory
    Stream<DynamicTest> slices() {
        int[] x = {5, 6, 7};
        return Stream.of(
                dynamicTest("backwards to index 0", () -> check(single(new Slice(List.of(4, 5, 1), List.of(-1, -2, 3),
                        List.of(5, 3, 2)), x))),
                dynamicTest("backwards, stopping short", () -> check(single(new Slice(List.of(0, 5, 6), List.of(1, -3, -2),
                        List.of(5, 1, 2)), x))),
                dynamicTest("one element at index 0, backwards", () -> check(single(new Slice(List.of(0, 0, 0),
                        List.of(-1, 1, 1), List.of(1, 6, 7)), x))),
                dynamicTest("forwards to the end", () -> check(single(new Slice(List.of(1, 0, 2), List.of(2, 1, 5),
                        List.of(2, 6, 1)), x))),
                dynamicTest("empty", () -> check(single(new Slice(List.of(0, 0, 0), List.of(1, 1, 1),
                        List.of(5, 0, 7)), x))),
                dynamicTest("whole", () -> check(single(new Slice(List.of(0, 0, 0), List.of(1, 1, 1),
                        List.of(5, 6, 7)), x))));
    }

    /** A 0 in the target is an empty axis, not ONNX's "copy the input's dimension". */
    @Test
    void reshapeOfAnEmptyTensor() {
        check(single(new Reshape(List.of(0, 6)), new int[] {2, 0, 3}));
    }

    /** The IR's reduction over no axes folds each element alone, which ONNX's empty axes do not mean. */
    @TestFactory
    Stream<DynamicTest> reductionsOverNoAxes() {
        return Stream.of(ReduceFn.values()).flatMap(fn -> Stream.of(true, false).map(keepDims ->
                dynamicTest(fn + (keepDims ? " keepdims" : ""), () -> check(single(new Reduce(fn, List.of(), keepDims),
                        new int[] {2, 3})))));
    }

    @TestFactory
    Stream<DynamicTest> pads() {
        int[] x = {3, 4, 5};
        return Stream.of(
                dynamicTest("constant, cropping", () -> check(single(new Pad(PadMode.CONSTANT, List.of(1, -1, 2, 0, 2, -2),
                        0.5f), x))),
                dynamicTest("reflect, cropping", () -> check(single(new Pad(PadMode.REFLECT, List.of(0, 2, -1, 2, -1, 3),
                        0f), x))),
                dynamicTest("edge, cropping", () -> check(single(new Pad(PadMode.EDGE, List.of(-1, 3, 0, 1, 0, -2), 0f), x))));
    }

    /** Integer arithmetic: Div truncating toward zero, an integer Pad value, Casts both ways. */
    @Test
    void integers() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", TensorType.f32(2, 5));
        Value i = b.add("to_int", new Cast(DType.I64), b.add("scaled", new Binary(BinaryFn.MUL), x,
                b.constant("ten", Tensor.scalar(10f))));
        Value q = b.add("quotient", new Binary(BinaryFn.DIV), i, b.constant("three", Tensor.ofLongs(Shape.scalar(), -3)));
        Value padded = b.add("padded", new Pad(PadMode.CONSTANT, List.of(0, 1, 1, 0), 2.7f), q);
        b.output(padded);
        b.output(b.add("back", new Cast(DType.F32), padded));
        check(b.build());
    }

    /**
     * The overhang of ceil_mode is not counted as padding. (Not with end pads too: there ONNX Runtime
     * 1.22 counts neither, 1.30 and the IR count the pads.)
     */
    @Test
    void averagePoolCountingPadsWithCeilMode() {
        check(single(new Pool(PoolKind.AVERAGE, List.of(3, 2), List.of(2, 2), List.of(1, 1, 0, 0), List.of(1, 2),
                true, true), new int[] {1, 2, 8, 9}));
    }

    @Test
    void outputsThatAreInputsConstantsOrRepeated() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", TensorType.f32(2, 3));
        Value y = b.add("relu", new Unary(UnaryFn.RELU), x);
        b.output(x);
        b.output(y);
        b.output(b.constant("c", Tensor.ofFloats(Shape.of(2), 1, 2)));
        b.output(y);
        check(b.build());
    }

    @Test
    void namesAreKeptAndUnique() {
        GraphBuilder b = new GraphBuilder("g");
        // A graph input with the name the Dense's helper MatMul would get.
        Value x = b.input("fc/matmul", TensorType.f32(1, 4));
        Value y = b.add("fc", new Dense(), x, b.constant("w:0", random(4, 2)),
                b.constant("b", Tensor.ofFloats(Shape.of(2), 1, 2)));
        b.output(y);
        Graph g = b.build();
        GraphProto onnx = check(g).getGraph();

        assertEquals(List.of("fc/matmul"), onnx.getInputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("fc"), onnx.getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("w:0", "b"), onnx.getInitializerList().stream().map(TensorProto::getName).toList());
        assertEquals(List.of("fc/matmul", "fc"), onnx.getNodeList().stream().map(NodeProto::getName).toList());
        assertEquals(List.of("MatMul", "Add"), onnx.getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of("fc/matmul_1"), onnx.getNode(0).getOutputList());
        Set<String> defined = new HashSet<>();
        onnx.getInputList().forEach(v -> assertUnique(defined, v.getName()));
        onnx.getInitializerList().forEach(t -> assertUnique(defined, t.getName()));
        onnx.getNodeList().forEach(n -> n.getOutputList().forEach(o -> assertUnique(defined, o)));
    }

    private static void assertUnique(Set<String> defined, String name) {
        assertEquals(true, defined.add(name), () -> "'" + name + "' is defined twice");
    }

    /**
     * The binary layers in their float form, each epilogue: the export computes in ONNX Runtime
     * exactly what the interpreter (and so the XNOR-popcount kernels) does. Rounded inputs make
     * zeros, which the masked layers must count as 0.
     */
    @TestFactory
    Stream<DynamicTest> binaryLayers() {
        return Stream.of(
                dynamicTest("dense, bipolar input, affine", () -> check(binaryChain(new int[] {3, 70}, new PackSigns(1, 1, true),
                        (b, x, mask) -> denseAffine(b, "fc", x, mask, 70, 5)))),
                dynamicTest("dense, signs with zeros into a masked dense", () -> check(binaryChain(new int[] {2, 100}, new PackSigns(1, 1, false),
                        (b, x, mask) -> {
                            Node hidden = b.add("hidden", new BinaryDense(100, true, BinaryOutput.SIGNS_WITH_ZEROS, 1, 1),
                                    List.of(x, mask, signs(b, "hidden_w", 90, 100), thresholds(b, "lo", 90, -6),
                                            thresholds(b, "hi", 90, 4)), List.of("h", "h_mask"));
                            return denseAffine(b, "out", hidden.outputs().get(0), hidden.outputs().get(1), 90, 4);
                        }))),
                dynamicTest("grouped 2-D conv, signs into a conv", () -> check(binaryChain(new int[] {1, 6, 7, 5}, new PackSigns(1, 2, false),
                        (b, x, mask) -> {
                            Value w = b.constant("conv1_w", packedWeight(new int[] {4, 3, 3, 2}));
                            Value threshold = thresholds(b, "t", 4, 1);
                            Node conv1 = b.add("conv1", new BinaryConv(List.of(2, 1), List.of(1, 0, 1, 1), List.of(1, 2), 2, 6,
                                    true, BinaryOutput.SIGNS, 1, 1), List.of(x, mask, w, threshold, threshold), List.of("c1"));
                            Value w2 = b.constant("conv2_w", packedWeight(new int[] {3, 4, 1, 2}));
                            return b.add("conv2", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 1), List.of(1, 1), 1, 4,
                                    false, BinaryOutput.AFFINE, 0, 1), conv1.outputs().get(0), w2,
                                    b.constant("scale", random(3)), b.constant("bias", random(3)));
                        }))),
                dynamicTest("depthwise 1-D memory conv", () -> check(binaryChain(new int[] {1, 3, 20}, new PackSigns(2, 1, false),
                        (b, x, mask) -> b.add("memory", new BinaryDepthwiseConv1d(20, 5, 1, 2, 2, 1, true, BinaryOutput.AFFINE, 0, 1),
                                x, mask, b.constant("memory_w", packedWeight(new int[] {3, 5})),
                                b.constant("scale", random(3)), b.constant("bias", random(3)))))));
    }

    @Test
    void packedSignsOutputIsRefused() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", TensorType.f32(1, 64));
        b.output(b.add("signs", new PackSigns(1, 1, true), x));
        ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.export(b.build()));
        assertEquals("value 'signs' holds packed signs (b64[1,1]), which standard ONNX has no type for", e.getMessage());
    }

    /** The layers of a binary chain, given its packed input and zero mask (null if bipolar); returns its float output. */
    private interface BinaryChain {
        Value layers(GraphBuilder b, Value x, Value mask);
    }

    /** Input x of the given shape, rounded (so that some elements are 0), packed as {@code pack} says, into the chain. */
    private static Graph binaryChain(int[] shape, PackSigns pack, BinaryChain chain) {
        GraphBuilder b = new GraphBuilder("g");
        Value rounded = b.add("round", new Unary(UnaryFn.ROUND), b.input("x", TensorType.f32(shape)));
        Node signs = b.add("pack", pack, List.of(rounded), pack.bipolar() ? List.of("x_signs") : List.of("x_signs", "x_zeros"));
        b.output(chain.layers(b, signs.outputs().get(0), pack.bipolar() ? null : signs.outputs().get(1)));
        return b.build();
    }

    private static Value denseAffine(GraphBuilder b, String name, Value x, Value mask, int in, int out) {
        List<Value> inputs = new ArrayList<>();
        inputs.add(x);
        if (mask != null) {
            inputs.add(mask);
        }
        inputs.addAll(List.of(signs(b, name + "_w", out, in), b.constant(name + "_scale", random(out)),
                b.constant(name + "_bias", random(out))));
        return b.add(name, new BinaryDense(in, mask != null, BinaryOutput.AFFINE, 0, 1), inputs, List.of(name)).outputs().get(0);
    }

    /** Packed weight signs of a dense layer: [rows, words], row r holding output r's signs. */
    private static Value signs(GraphBuilder b, String name, int rows, int in) {
        return b.constant(name, packedWeight(new int[] {rows, in}));
    }

    /** Random ±1 weight signs of logical shape [M, K, taps...] packed along axis 1, as the binary layers take them. */
    private static Tensor packedWeight(int[] logical) {
        Shape shape = Shape.of(logical);
        Random random = new Random(shape.size());
        float[] signs = new float[shape.size()];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = random.nextBoolean() ? 1 : -1;
        }
        PackLayout layout = new PackLayout(1, 1);
        return Tensor.adoptBits(layout.packed(shape), layout.pack(signs, shape, null));
    }

    /** Integer thresholds around {@code centre}. */
    private static Value thresholds(GraphBuilder b, String name, int channels, int centre) {
        long[] t = new long[channels];
        for (int c = 0; c < channels; c++) {
            t[c] = centre + c % 3 - 1;
        }
        return b.constant(name, Tensor.adoptLongs(Shape.of(channels), t));
    }

    /** A real model: its export runs in ONNX Runtime as the original does, node for node under the same names. */
    @Test
    void alibabaKwsRoundTrips() {
        ModelProto original = OnnxImporter.readModel(KWS);
        Graph g = OnnxImporter.importModel(original, null, ImportOptions.defaults());
        List<Tensor> inputs = randomInputs(g);
        ModelProto exported = ExportRoundTrip.check(g, inputs, OnnxRuntimeReference.run(original, inputs));

        assertEquals(OnnxExporter.OPSET, exported.getOpsetImport(0).getVersion());
        assertEquals(g.nodes().stream().filter(n -> !n.op().opName().equals("Constant")).map(Node::name).toList(),
                exported.getGraph().getNodeList().stream().map(NodeProto::getName).toList());
        ValueInfoProto in = exported.getGraph().getInput(0);
        assertEquals("x:0", in.getName());
        assertEquals(List.of(1L, 49L, 10L, 1L), in.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.getDimValue()).toList());
    }

    /** QONNX BipolarQuant imports as Bipolar, which the export writes in standard ops. */
    @Test
    void binarizedTfcRunsInOnnxRuntime() {
        ModelProto original = OnnxImporter.readModel(TFC);
        Graph g = OnnxImporter.importModel(original, null, ImportOptions.defaults());
        List<Tensor> inputs = randomInputs(g);
        ExportRoundTrip.check(g, inputs, OnnxRuntimeReference.run(QonnxReference.rewrite(original), inputs));
    }

    @Test
    void writesTheModelFile(@TempDir Path dir) throws Exception {
        Graph g = OnnxImporter.importModel(KWS, ImportOptions.defaults());
        Path file = dir.resolve("kws.onnx");
        OnnxExporter.write(g, file);
        assertArrayEquals(OnnxExporter.export(g).toByteArray(), Files.readAllBytes(file));
    }

    /** Random weights in [-1, 1). */
    private static Tensor random(int... dims) {
        return Tensor.ofFloats(Shape.of(dims), ConvPoolGoldenTest.random(new Random(dims.length), Shape.of(dims).size()));
    }

    private static ModelProto check(Graph g) {
        return ExportRoundTrip.check(g, randomInputs(g));
    }

    private static List<Tensor> randomInputs(Graph g) {
        Random random = new Random(42);
        List<Tensor> inputs = new ArrayList<>();
        for (Value in : g.inputs()) {
            inputs.add(Golden.randomTensor(in.type(), random, -2, 2));
        }
        return inputs;
    }

    /** A graph of one op on input x of the given shape and constant operands. */
    private static Graph single(Op op, int[] x, Tensor... constants) {
        GraphBuilder b = new GraphBuilder("g");
        List<Value> in = new ArrayList<>();
        in.add(b.input("x", TensorType.f32(x)));
        for (int i = 0; i < constants.length; i++) {
            in.add(b.constant("c" + i, constants[i]));
        }
        b.output(b.add(op.opName().toLowerCase(), op, in.toArray(Value[]::new)));
        return b.build();
    }
}
