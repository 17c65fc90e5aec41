package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataLocation;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Converts between ONNX {@code TensorProto} and IR {@link Tensor}, and reads standalone tensor files. */
public final class OnnxTensors {
    private OnnxTensors() {}

    /**
     * Decodes a tensor held in the model (raw or typed fields); external data is not allowed, as there
     * is no folder to read it from.
     */
    public static Tensor fromProto(TensorProto t) {
        return fromProto(t, null);
    }

    /**
     * Decodes a tensor: data in {@code raw_data}, in the typed fields, or in an external file inside
     * {@code baseDir} (null when there is none). Floating types become f32, integral types and bool i64.
     */
    public static Tensor fromProto(TensorProto t, Path baseDir) {
        String what = "tensor '" + t.getName() + "'";
        OnnxElementType type = OnnxElementType.of(t.getDataType()).orElseThrow(() -> new ImportException(
                what + " has element type " + OnnxElementType.onnxName(t.getDataType()) + ", which is not supported"));
        if (t.hasSegment()) {
            throw new ImportException(what + " is segmented, which is not supported");
        }
        Shape shape = shapeOf(t, what);
        int n = shape.size();
        ByteBuffer raw = null;
        if (t.getDataLocation() == DataLocation.EXTERNAL) {
            raw = ExternalData.read(t, baseDir, (long) n * type.byteSize());
        } else if (t.hasRawData()) {
            raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != (long) n * type.byteSize()) {
                throw new ImportException(what + " of shape " + shape + " and type " + type.onnx() + " needs "
                        + (long) n * type.byteSize() + " bytes of raw data, has " + raw.remaining());
            }
        }
        if (type.dtype() == DType.F32) {
            float[] a = new float[n];
            if (raw != null) {
                for (int i = 0; i < n; i++) {
                    a[i] = type.readFloat(raw);
                }
            } else {
                readTypedFloats(t, type, a, what);
            }
            return Tensor.adoptFloats(shape, a);
        }
        long[] a = new long[n];
        if (raw != null) {
            for (int i = 0; i < n; i++) {
                a[i] = type.readLong(raw);
            }
        } else {
            readTypedLongs(t, type, a, what);
        }
        return Tensor.adoptLongs(shape, a);
    }

    /** An f32 tensor as FLOAT, an i64 tensor as INT64, both in {@code raw_data}. */
    public static TensorProto toProto(String name, Tensor tensor) {
        boolean isFloat = tensor.dtype() == DType.F32;
        ByteBuffer buf = ByteBuffer.allocate((int) tensor.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensor.size(); i++) {
            if (isFloat) {
                buf.putFloat(tensor.floatAt(i));
            } else {
                buf.putLong(tensor.longAt(i));
            }
        }
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType((isFloat ? OnnxElementType.FLOAT : OnnxElementType.INT64).onnx().getNumber())
                .setRawData(ByteString.copyFrom(buf.flip()));
        for (int d : tensor.shape().dims()) {
            b.addDims(d);
        }
        return b.build();
    }

    /**
     * Reads a standalone serialized {@code TensorProto} file, as in the ONNX test-case layout
     * ({@code test_data_set_0/input_0.pb}); external data is looked up in the file's folder.
     */
    public static Tensor read(Path file) {
        TensorProto t;
        try {
            t = TensorProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file + ": not a valid ONNX TensorProto file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return fromProto(t, dir);
        } catch (ImportException e) {
            throw new ImportException(file + ": " + e.getMessage(), e);
        }
    }

    private static Shape shapeOf(TensorProto t, String what) {
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ImportException(what + " has invalid dimensions " + t.getDimsList());
            }
            dims[i] = (int) d;
        }
        try {
            return Shape.of(dims);
        } catch (IrException e) {
            throw new ImportException(what + ": " + e.getMessage(), e);
        }
    }

    private static void readTypedFloats(TensorProto t, OnnxElementType type, float[] out, String what) {
        switch (type) {
            case FLOAT -> {
                requireCount(t.getFloatDataCount(), out.length, what, "float_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
            case DOUBLE -> {
                requireCount(t.getDoubleDataCount(), out.length, what, "double_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) t.getDoubleData(i);
                }
            }
            // Half types keep their bit patterns in the low 16 bits of int32_data.
            case FLOAT16 -> {
                requireCount(t.getInt32DataCount(), out.length, what, "int32_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = OnnxElementType.halfToFloat(t.getInt32Data(i) & 0xffff);
                }
            }
            case BFLOAT16 -> {
                requireCount(t.getInt32DataCount(), out.length, what, "int32_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = OnnxElementType.bfloat16ToFloat(t.getInt32Data(i) & 0xffff);
                }
            }
            default -> throw new IllegalStateException(type + " is not a floating type");
        }
    }

    private static void readTypedLongs(TensorProto t, OnnxElementType type, long[] out, String what) {
        switch (type) {
            case INT64 -> {
                requireCount(t.getInt64DataCount(), out.length, what, "int64_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = t.getInt64Data(i);
                }
            }
            case UINT32, UINT64 -> {
                requireCount(t.getUint64DataCount(), out.length, what, "uint64_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = t.getUint64Data(i);
                }
            }
            case BOOL -> {
                requireCount(t.getInt32DataCount(), out.length, what, "int32_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = t.getInt32Data(i) != 0 ? 1 : 0;
                }
            }
            default -> { // INT8, UINT8, INT16, UINT16, INT32: values stored as int32
                requireCount(t.getInt32DataCount(), out.length, what, "int32_data");
                for (int i = 0; i < out.length; i++) {
                    out[i] = t.getInt32Data(i);
                }
            }
        }
    }

    private static void requireCount(int have, int need, String what, String field) {
        if (have != need) {
            throw new ImportException(what + " needs " + need + " values, its " + field + " has " + have);
        }
    }
}
