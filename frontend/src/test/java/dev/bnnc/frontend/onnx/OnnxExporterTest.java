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
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Op;
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

    @Test
    void binaryLayersAreRefusedNamingTheNode() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", TensorType.f32(1, 64));
        b.output(b.add("signs", new PackSigns(1, 1, true), x));
        ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.export(b.build()));
        assertEquals("node 'signs' (PackSigns) computes on packed signs and has no standard ONNX form", e.getMessage());
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
