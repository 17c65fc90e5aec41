package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataLocation;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTensorsTest {
    @Test
    void decodesTypedFields() {
        assertEquals(Tensor.ofFloats(Shape.of(2), 1.5f, -2f),
                OnnxTensors.fromProto(proto(DataType.FLOAT, 2).addFloatData(1.5f).addFloatData(-2f).build()));
        assertEquals(Tensor.ofFloats(Shape.of(1), 0.25f),
                OnnxTensors.fromProto(proto(DataType.DOUBLE, 1).addDoubleData(0.25).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), -3, 1L << 40),
                OnnxTensors.fromProto(proto(DataType.INT64, 2).addInt64Data(-3).addInt64Data(1L << 40).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), -7, 200),
                OnnxTensors.fromProto(proto(DataType.INT32, 2).addInt32Data(-7).addInt32Data(200).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), 255, 0),
                OnnxTensors.fromProto(proto(DataType.UINT8, 2).addInt32Data(255).addInt32Data(0).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), 1, 0),
                OnnxTensors.fromProto(proto(DataType.BOOL, 2).addInt32Data(1).addInt32Data(0).build()));
        assertEquals(Tensor.ofLongs(Shape.of(1), 4_000_000_000L),
                OnnxTensors.fromProto(proto(DataType.UINT32, 1).addUint64Data(4_000_000_000L).build()));
        // Half types: bit patterns in int32_data. 0x3c00 = 1.0, 0xc000 = -2.0 (half); 0x3fc0 = 1.5 (bfloat16).
        assertEquals(Tensor.ofFloats(Shape.of(2), 1f, -2f),
                OnnxTensors.fromProto(proto(DataType.FLOAT16, 2).addInt32Data(0x3c00).addInt32Data(0xc000).build()));
        assertEquals(Tensor.ofFloats(Shape.of(1), 1.5f),
                OnnxTensors.fromProto(proto(DataType.BFLOAT16, 1).addInt32Data(0x3fc0).build()));
        assertEquals(Tensor.scalar(3f), OnnxTensors.fromProto(proto(DataType.FLOAT).addFloatData(3f).build()));
    }

    @Test
    void decodesRawDataLittleEndian() {
        ByteBuffer b = le(12).putFloat(1f).putFloat(-0.5f).putFloat(7f);
        assertEquals(Tensor.ofFloats(Shape.of(3, 1), 1f, -0.5f, 7f),
                OnnxTensors.fromProto(proto(DataType.FLOAT, 3, 1).setRawData(bytes(b)).build()));
        assertEquals(Tensor.ofLongs(Shape.of(3), -1, 127, -128), OnnxTensors.fromProto(
                proto(DataType.INT8, 3).setRawData(ByteString.copyFrom(new byte[] {-1, 127, -128})).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), 255, 1), OnnxTensors.fromProto(
                proto(DataType.UINT8, 2).setRawData(ByteString.copyFrom(new byte[] {-1, 1})).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), 1, 0), OnnxTensors.fromProto(
                proto(DataType.BOOL, 2).setRawData(ByteString.copyFrom(new byte[] {5, 0})).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), 65535, 2), OnnxTensors.fromProto(
                proto(DataType.UINT16, 2).setRawData(ByteString.copyFrom(new byte[] {-1, -1, 2, 0})).build()));
        assertEquals(Tensor.ofLongs(Shape.of(2), -2, 3),
                OnnxTensors.fromProto(proto(DataType.INT16, 2).setRawData(bytes(le(4).putShort((short) -2).putShort((short) 3)))
                        .build()));
        assertEquals(Tensor.ofFloats(Shape.of(1), 2.5f),
                OnnxTensors.fromProto(proto(DataType.DOUBLE, 1).setRawData(bytes(le(8).putDouble(2.5))).build()));
        // Half: 0x3555 ≈ 0.33325195, smallest subnormal 0x0001 = 2^-24, infinity 0x7c00.
        assertEquals(Tensor.ofFloats(Shape.of(3), 0.33325195f, 0x1p-24f, Float.POSITIVE_INFINITY),
                OnnxTensors.fromProto(proto(DataType.FLOAT16, 3).setRawData(
                        bytes(le(6).putShort((short) 0x3555).putShort((short) 1).putShort((short) 0x7c00))).build()));
    }

    @Test
    void rejectsWhatTheIrCannotHold() {
        assertEquals("tensor 't' has element type STRING, which is not supported", assertThrows(ImportException.class,
                () -> OnnxTensors.fromProto(proto(DataType.STRING, 1).build())).getMessage());
        assertEquals("tensor 't' needs 2 values, its float_data has 1", assertThrows(ImportException.class,
                () -> OnnxTensors.fromProto(proto(DataType.FLOAT, 2).addFloatData(1).build())).getMessage());
        assertEquals("tensor 't' of shape [2] and type FLOAT needs 8 bytes of raw data, has 3",
                assertThrows(ImportException.class, () -> OnnxTensors.fromProto(
                        proto(DataType.FLOAT, 2).setRawData(ByteString.copyFrom(new byte[3])).build())).getMessage());
    }

    @Test
    void roundTripsThroughProto() {
        Tensor f = Tensor.ofFloats(Shape.of(2, 2), 1, -2, 3.5f, Float.NaN);
        Tensor l = Tensor.ofLongs(Shape.scalar(), Long.MIN_VALUE);
        assertEquals(f, OnnxTensors.fromProto(OnnxTensors.toProto("f", f)));
        assertEquals(l, OnnxTensors.fromProto(OnnxTensors.toProto("l", l)));
        assertEquals("f", OnnxTensors.toProto("f", f).getName());
    }

    @Test
    void readsExternalDataInsideTheModelFolder(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("weights").resolve("w.bin");
        Files.createDirectories(data.getParent());
        ByteBuffer b = le(16).putInt(0xdeadbeef).putFloat(1f).putFloat(2f).putFloat(3f);
        Files.write(data, b.array());

        OnnxModelBuilder m = new OnnxModelBuilder("ext");
        m.input("x", 3);
        m.initializer(external("w", "weights/w.bin", 4, 12, 3));
        m.node("Add").inputs("x", "w").outputs("y");
        m.output("y");
        Path model = dir.resolve("model.onnx");
        Files.write(model, m.toByteArray());

        Graph g = OnnxImporter.importModel(model, ImportOptions.defaults());
        Tensor w = g.constant(g.nodes().get(0).output()).orElseThrow();
        assertEquals(Tensor.ofFloats(Shape.of(3), 1, 2, 3), w);

        assertEquals("tensor 'w' has external data ('weights/w.bin') but the model was not read from a folder",
                assertThrows(ImportException.class,
                        () -> OnnxImporter.importModel(m.build(), null, ImportOptions.defaults())).getMessage());
    }

    @Test
    void rejectsExternalDataOutsideTheModelFolder(@TempDir Path root) throws IOException {
        Path modelDir = Files.createDirectories(root.resolve("model"));
        Path secret = root.resolve("secret.bin");
        Files.write(secret, new byte[12]);
        Files.createSymbolicLink(modelDir.resolve("link.bin"), secret);
        Files.createSymbolicLink(modelDir.resolve("up"), root);

        assertEquals("tensor 'w': external data location '../secret.bin' must be a relative path inside the model's folder",
                externalError(modelDir, "../secret.bin"));
        assertEquals("tensor 'w': external data location '" + secret
                        + "' must be a relative path inside the model's folder",
                externalError(modelDir, secret.toString()));
        assertEquals("tensor 'w': external data location 'a/../../secret.bin' must be a relative path inside the model's folder",
                externalError(modelDir, "a/../../secret.bin"));
        assertTrue(externalError(modelDir, "link.bin").startsWith(
                "tensor 'w': external data location 'link.bin' leads outside the model's folder"));
        assertTrue(externalError(modelDir, "up/secret.bin").startsWith(
                "tensor 'w': external data location 'up/secret.bin' leads outside the model's folder"));
        assertEquals("tensor 'w': external data file 'none.bin' not found in " + modelDir,
                externalError(modelDir, "none.bin"));

        Files.write(modelDir.resolve("short.bin"), new byte[8]);
        assertEquals("tensor 'w': external data file 'short.bin' has 8 bytes, cannot read 12 at offset 0",
                externalError(modelDir, "short.bin"));
    }

    @Test
    void readsTheOnnxTestCaseLayout(@TempDir Path dir) throws IOException {
        Path set = Files.createDirectories(dir.resolve("test_data_set_0"));
        Tensor in0 = Tensor.ofFloats(Shape.of(1, 2), 0.5f, -1f);
        Tensor in1 = Tensor.ofLongs(Shape.of(1), 3);
        Tensor out0 = Tensor.ofFloats(Shape.of(2), 9, 8);
        Files.write(set.resolve("input_0.pb"), OnnxTensors.toProto("x", in0).toByteArray());
        Files.write(set.resolve("input_1.pb"), OnnxTensors.toProto("n", in1).toByteArray());
        Files.write(set.resolve("output_0.pb"), OnnxTensors.toProto("y", out0).toByteArray());
        TestDataSet data = TestDataSet.read(set);
        assertEquals(List.of(in0, in1), data.inputs());
        assertEquals(List.of(out0), data.outputs());
        assertEquals(in0, OnnxTensors.read(set.resolve("input_0.pb")));

        Path bad = set.resolve("input_2.pb");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff});
        assertTrue(assertThrows(ImportException.class, () -> OnnxTensors.read(bad)).getMessage()
                .startsWith(bad + ": not a valid ONNX TensorProto file"));
    }

    private static String externalError(Path modelDir, String location) {
        OnnxModelBuilder m = new OnnxModelBuilder("ext");
        m.input("x", 3);
        m.initializer(external("w", location, 0, 12, 3));
        m.node("Add").inputs("x", "w").outputs("y");
        m.output("y");
        return assertThrows(ImportException.class,
                () -> OnnxImporter.importModel(m.build(), modelDir, ImportOptions.defaults())).getMessage();
    }

    private static TensorProto external(String name, String location, long offset, long length, int... dims) {
        TensorProto.Builder t = proto(DataType.FLOAT, dims).setName(name).setDataLocation(DataLocation.EXTERNAL);
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)));
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        return t.build();
    }

    private static TensorProto.Builder proto(DataType type, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("t").setDataType(type.getNumber());
        for (int d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteString bytes(ByteBuffer b) {
        return ByteString.copyFrom(b.array());
    }
}
