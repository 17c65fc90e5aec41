package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.bnnc.ir.DType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The ONNX element types the importer accepts and how they map onto the IR's two: floating types
 * become {@link DType#F32}, integral types and bool become {@link DType#I64}. Strings, complex
 * numbers and 4/8-bit floats have no IR counterpart.
 */
public enum OnnxElementType {
    FLOAT(DataType.FLOAT, DType.F32, 4),
    DOUBLE(DataType.DOUBLE, DType.F32, 8),
    FLOAT16(DataType.FLOAT16, DType.F32, 2),
    BFLOAT16(DataType.BFLOAT16, DType.F32, 2),
    INT8(DataType.INT8, DType.I64, 1),
    UINT8(DataType.UINT8, DType.I64, 1),
    INT16(DataType.INT16, DType.I64, 2),
    UINT16(DataType.UINT16, DType.I64, 2),
    INT32(DataType.INT32, DType.I64, 4),
    UINT32(DataType.UINT32, DType.I64, 4),
    INT64(DataType.INT64, DType.I64, 8),
    UINT64(DataType.UINT64, DType.I64, 8),
    BOOL(DataType.BOOL, DType.I64, 1);

    private final DataType onnx;
    private final DType dtype;
    private final int byteSize;

    OnnxElementType(DataType onnx, DType dtype, int byteSize) {
        this.onnx = onnx;
        this.dtype = dtype;
        this.byteSize = byteSize;
    }

    /** The element type for an ONNX {@code TensorProto.DataType} number, if the importer supports it. */
    public static Optional<OnnxElementType> of(int dataType) {
        for (OnnxElementType t : values()) {
            if (t.onnx.getNumber() == dataType) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The ONNX spelling of a data type number, for messages. */
    public static String onnxName(int dataType) {
        DataType t = DataType.forNumber(dataType);
        return t == null ? "data type " + dataType : t.name();
    }

    public DataType onnx() {
        return onnx;
    }

    /** The IR element type values of this type become. */
    public DType dtype() {
        return dtype;
    }

    /** Bytes per element in {@code raw_data} and external data (little-endian). */
    public int byteSize() {
        return byteSize;
    }

    /** Reads one element from little-endian raw data as a float (floating types only). */
    float readFloat(ByteBuffer raw) {
        return switch (this) {
            case FLOAT -> raw.getFloat();
            case DOUBLE -> (float) raw.getDouble();
            case FLOAT16 -> halfToFloat(raw.getShort() & 0xffff);
            case BFLOAT16 -> bfloat16ToFloat(raw.getShort() & 0xffff);
            default -> throw new IllegalStateException(this + " is not a floating type");
        };
    }

    /** Reads one element from little-endian raw data as a long (integral types and bool only). */
    long readLong(ByteBuffer raw) {
        return switch (this) {
            case INT8 -> raw.get();
            case UINT8 -> raw.get() & 0xffL;
            case INT16 -> raw.getShort();
            case UINT16 -> raw.getShort() & 0xffffL;
            case INT32 -> raw.getInt();
            case UINT32 -> raw.getInt() & 0xffffffffL;
            // UINT64 values above 2^63-1 wrap: the IR has no unsigned 64-bit type.
            case INT64, UINT64 -> raw.getLong();
            case BOOL -> raw.get() != 0 ? 1 : 0;
            default -> throw new IllegalStateException(this + " is not an integral type");
        };
    }

    /** IEEE 754 half precision bits to float (exact: every half is a float). */
    static float halfToFloat(int bits) {
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant · 2^-24.
            float magnitude = mant * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** bfloat16 is the upper half of a float's bits. */
    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }
}
