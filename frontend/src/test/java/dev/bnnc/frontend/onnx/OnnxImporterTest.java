package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {
    private static final Path KWS = Path.of("../examples/models/alibaba_kws.onnx");

    @Test
    void importsTheAlibabaKeywordSpottingModel() {
        Graph g = OnnxImporter.importModel(KWS, ImportOptions.defaults());
        assertEquals("tf2onnx", g.name());
        assertEquals(List.of("x:0"), g.inputs().stream().map(Value::name).toList());
        assertEquals(TensorType.f32(1, 49, 10, 1), g.inputs().get(0).type());
        assertEquals("Identity:0", g.outputs().get(0).name());
        assertEquals(TensorType.f32(1, 12), g.outputs().get(0).type());
        assertEquals(9, g.nodes().stream().filter(n -> n.op() instanceof Conv).count());
        Node depthwise = g.node("Conv__58").orElseThrow();
        assertEquals(32, ((Conv) depthwise.op()).group());
        assertEquals(List.of(4, 1, 5, 1), ((Conv) g.node("functional_1/conv2d/BiasAdd").orElseThrow().op()).pads());
        assertInstanceOf(Pool.class, g.node("functional_1/average_pooling2d/AvgPool").orElseThrow().op());
        assertInstanceOf(Gemm.class, Imports.outputNode(g).op());
        // Reshape targets are attributes: their shape initializers leave no Constant node behind.
        assertEquals(List.of(1, 1, 49, 10), ((Reshape) g.node("functional_1/conv2d/BiasAdd__7").orElseThrow().op()).shape());
        for (Node n : g.nodes()) {
            if (n.op() instanceof Constant) {
                assertTrue(g.isUsed(n.output()), () -> "unused constant " + n);
            }
        }
    }

    @Test
    void theAlibabaModelMatchesOnnxRuntime() {
        Golden.check(OnnxImporter.readModel(KWS), -1, 1);
    }

    @Test
    void keepsOnnxNamesAndNamesUnnamedNodesByOpTypeAndIndex() {
        OnnxModelBuilder m = new OnnxModelBuilder("names test-1");
        m.input("in/x:0", 2, 3);
        m.node("Relu").name("first relu").inputs("in/x:0").outputs("a:0");
        m.node("Neg").inputs("a:0").outputs("b");
        m.output("b");
        Graph g = Imports.of(m);
        assertEquals("names_test_1", g.name());
        assertEquals(List.of("first relu", "Neg_1"), g.nodes().stream().map(Node::name).toList());
        assertEquals("a:0", g.nodes().get(0).output().name());
        assertEquals("b", g.outputs().get(0).name());
    }

    @Test
    void symbolicDimensionsBecomeOneUnlessOverridden() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", -1, 3, -1);
        m.input("y", 2);
        m.node("Relu").inputs("x").outputs("rx");
        m.node("Relu").inputs("y").outputs("ry");
        m.output("rx", OnnxElementType.FLOAT, -1, 3, -1).output("ry");
        assertEquals(TensorType.f32(1, 3, 1), Imports.of(m).inputs().get(0).type());
        Golden.check(m);
        assertEquals(TensorType.f32(4, 3, 5),
                Imports.of(m, ImportOptions.defaults().withFirstInputShape(4, 3, 5)).inputs().get(0).type());
        Graph byName = Imports.of(m, ImportOptions.defaults().withInputShape("y", 7).withFirstInputShape(2, 3, 2));
        assertEquals(TensorType.f32(2, 3, 2), byName.inputs().get(0).type());
        assertEquals(TensorType.f32(7), byName.inputs().get(1).type());
        assertEquals(TensorType.f32(6, 3, 1),
                Imports.of(m, ImportOptions.defaults().withFirstInputShape(1, 1, 1).withInputShape("x", 6, 3, 1))
                        .inputs().get(0).type());
    }

    @Test
    void shapeOverridesMustNameAnInputAndKeepItsRank() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", -1, 3);
        m.node("Relu").inputs("x").outputs("y");
        m.output("y");
        assertEquals("a shape is given for input 'z', but the model's inputs are [x]",
                assertThrows(ImportException.class,
                        () -> Imports.of(m, ImportOptions.defaults().withInputShape("z", 1, 3))).getMessage());
        assertEquals("the shape [1,3,1] given for graph input 'x' has rank 3, the model declares rank 2",
                assertThrows(ImportException.class,
                        () -> Imports.of(m, ImportOptions.defaults().withFirstInputShape(1, 3, 1))).getMessage());
    }

    @Test
    void inputWithoutShapeNeedsAnOverride() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))).build());
        m.node("Relu").inputs("x").outputs("y");
        m.output("y");
        assertEquals("graph input 'x' has no shape in the model; give one in the import options", Imports.error(m));
        assertEquals(TensorType.f32(2, 2),
                Imports.of(m, ImportOptions.defaults().withInputShape("x", 2, 2)).inputs().get(0).type());
    }

    @Test
    void integerInputsBecomeI64() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", OnnxElementType.INT32, 4);
        m.node("Neg").inputs("x").outputs("y");
        m.output("y", OnnxElementType.INT32);
        assertEquals(DType.I64, Imports.of(m).inputs().get(0).type().dtype());
    }

    @Test
    void initializersListedAsInputsAreConstantsNotModelInputs() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(9);
        m.input("x", 1, 4);
        m.input("w", 4, 2);
        m.initializer("w", new float[8], 4, 2);
        m.node("MatMul").inputs("x", "w").outputs("y");
        m.output("y");
        Graph g = Imports.of(m);
        assertEquals(List.of("x"), g.inputs().stream().map(Value::name).toList());
        assertInstanceOf(Constant.class, g.producer(g.nodes().get(1).input(1)).orElseThrow().op());
        assertEquals(TensorType.f32(1, 2), g.outputs().get(0).type());
    }

    @Test
    void acceptsTheSupportedVersionRange() {
        for (int opset : new int[] {7, 21}) {
            for (long ir : new long[] {3, 10}) {
                OnnxModelBuilder m = reluModel().opset(opset).irVersion(ir);
                assertInstanceOf(Unary.class, Imports.onlyOp(Imports.of(m)));
            }
        }
    }

    @Test
    void rejectsVersionsOutOfRange() {
        assertEquals("ONNX IR version 2 is not supported (supported: 3 to 10)", Imports.error(reluModel().irVersion(2)));
        assertEquals("ONNX IR version 11 is not supported (supported: 3 to 10)", Imports.error(reluModel().irVersion(11)));
        assertEquals("ONNX opset 6 is not supported (supported: 7 to 21)", Imports.error(reluModel().opset(6)));
        assertEquals("ONNX opset 22 is not supported (supported: 7 to 21)", Imports.error(reluModel().opset(22)));
        ModelProto noDefault = reluModel().build().toBuilder().clearOpsetImport().build();
        assertEquals("the model imports no opset of the default ONNX domain", assertThrows(ImportException.class,
                () -> OnnxImporter.importModel(noDefault, null, ImportOptions.defaults())).getMessage());
    }

    @Test
    void unsupportedOpNamesOpDomainAndNode() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset("com.x", 1);
        m.input("x", 2);
        m.node("Relu").inputs("x").outputs("a");
        m.node("Foo").domain("com.x").name("n3").inputs("a").outputs("y");
        m.output("y");
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> Imports.of(m));
        assertEquals("unsupported op 'Foo' (domain 'com.x') at node 'n3'", e.getMessage());
        assertEquals("Foo", e.opType());
        assertEquals("com.x", e.domain());
        assertEquals("n3", e.nodeName());

        OnnxModelBuilder std = new OnnxModelBuilder("g");
        std.input("x", 2);
        std.node("Erf").inputs("x").outputs("y");
        std.output("y");
        assertEquals("unsupported op 'Erf' (domain 'ai.onnx') at node 'Erf_0'", Imports.error(std));
    }

    @Test
    void customDomainsPlugInThroughTheConverterTable() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset("com.x", 1);
        m.input("x", 2);
        m.node("Foo").domain("com.x").inputs("x").outputs("y");
        m.output("y");
        ConverterTable table = ConverterTable.standard().toBuilder()
                .add("com.x", "Foo", (n, ctx) -> ctx.emit(n, new Unary(UnaryFn.ABS), ctx.input(n, 0)))
                .build();
        Graph g = new OnnxImporter(table).convert(m.build(), null, ImportOptions.defaults());
        assertEquals(new Unary(UnaryFn.ABS), Imports.onlyOp(g));
        assertTrue(ConverterTable.standard().find("ai.onnx", "Relu").isPresent());
        assertFalse(ConverterTable.standard().find("com.x", "Foo").isPresent());
    }

    @Test
    void malformedFileIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("broken.onnx");
        Files.write(bad, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});
        String msg = assertThrows(ImportException.class, () -> OnnxImporter.importModel(bad, ImportOptions.defaults()))
                .getMessage();
        assertTrue(msg.startsWith(bad + ": not a valid ONNX model"), msg);
        assertFalse(msg.contains("\n"), msg);

        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "hello");
        assertTrue(assertThrows(ImportException.class, () -> OnnxImporter.importModel(text, ImportOptions.defaults()))
                .getMessage().startsWith(text + ": not a valid ONNX model"));

        Path missing = dir.resolve("missing.onnx");
        assertEquals(missing + ": no such file", assertThrows(ImportException.class,
                () -> OnnxImporter.importModel(missing, ImportOptions.defaults())).getMessage());
    }

    @Test
    void readsAModelFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("relu.onnx");
        Files.write(file, reluModel().toByteArray());
        assertInstanceOf(Unary.class, Imports.onlyOp(OnnxImporter.importModel(file, ImportOptions.defaults())));
    }

    @Test
    void nonConstantInputWhereAConstantIsNeededNamesNodeAndInput() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", 2, 3);
        m.input("s", OnnxElementType.INT64, 2);
        m.node("Reshape").name("r").inputs("x", "s").outputs("y");
        m.output("y");
        assertEquals("node 'r' (Reshape): input 1 ('s', the shape) must be a constant, but it is computed from a graph input",
                Imports.error(m));
    }

    @Test
    void shapesThatDoNotFitNameTheNode() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("a", 2, 3);
        m.input("b", 4);
        m.node("Add").name("sum").inputs("a", "b").outputs("y");
        m.output("y");
        assertEquals("node 'sum' (Add): shapes [2,3] and [4] do not broadcast", Imports.error(m));
    }

    @Test
    void invalidAttributesNameTheNode() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("a", 2, 3);
        m.node("Transpose").name("t").inputs("a").outputs("y").intsAttr("perm", 0, 0);
        m.output("y");
        assertEquals("node 't' (Transpose): perm must be a permutation of 0..1, got [0, 0]", Imports.error(m));
    }

    @Test
    void undefinedNamesAreErrors() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", 2);
        m.node("Relu").name("r").inputs("nope").outputs("y");
        m.output("y");
        assertEquals("node 'r' (Relu): input 'nope' is not defined by an earlier node, an initializer or a graph input",
                Imports.error(m));

        OnnxModelBuilder out = new OnnxModelBuilder("g");
        out.input("x", 2);
        out.node("Relu").inputs("x").outputs("y");
        out.output("z");
        assertEquals("graph output 'z' is not defined by any node", Imports.error(out));
    }

    @Test
    void unsupportedSecondaryOutputsFailOnlyWhenUsed() {
        OnnxModelBuilder unused = new OnnxModelBuilder("g").opset(13);
        unused.input("x", 1, 2, 4, 4);
        unused.node("Dropout").name("d").inputs("x").outputs("y", "mask");
        unused.node("MaxPool").name("p").inputs("y").outputs("z", "idx").intsAttr("kernel_shape", 2, 2);
        unused.output("z");
        assertEquals(List.of(new Identity().opName(), "Pool"),
                Imports.ops(Imports.of(unused)).stream().map(op -> op.opName()).toList());

        OnnxModelBuilder used = new OnnxModelBuilder("g").opset(13);
        used.input("x", 1, 2, 4, 4);
        used.node("MaxPool").name("p").inputs("x").outputs("z", "idx").intsAttr("kernel_shape", 2, 2);
        used.output("z").output("idx", OnnxElementType.INT64);
        assertEquals("node 'p' (MaxPool): output 1 ('idx') is used, but the importer supports only this op's main output(s)",
                Imports.error(used));

        OnnxModelBuilder mask = new OnnxModelBuilder("g").opset(13);
        mask.input("x", 4);
        mask.node("Dropout").name("d").inputs("x").outputs("y", "mask");
        mask.node("Cast").inputs("mask").outputs("m").intAttr("to", 1);
        mask.output("m");
        assertEquals("node 'd' (Dropout): output 1 ('mask') is used, but the importer supports only this op's main output(s)",
                Imports.error(mask));
    }

    @Test
    void constantGraphOutputsAndPassThroughGraphs() {
        OnnxModelBuilder m = new OnnxModelBuilder("g");
        m.input("x", 2);
        m.initializer("c", new float[] {1, 2}, 2);
        m.output("x").output("c");
        Graph g = Imports.of(m);
        assertEquals(g.inputs().get(0), g.outputs().get(0));
        assertEquals(Shape.of(2), g.constant(g.outputs().get(1)).orElseThrow().shape());
    }

    static OnnxModelBuilder reluModel() {
        OnnxModelBuilder m = new OnnxModelBuilder("relu");
        m.input("x", 2);
        m.node("Relu").inputs("x").outputs("y");
        m.output("y");
        return m;
    }
}
