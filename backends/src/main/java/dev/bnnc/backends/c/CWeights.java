package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.WeightStorage;
import dev.bnnc.ir.Tensor;

/**
 * Weights as {@code static const} arrays, so they live in read-only memory: floats as hexadecimal
 * float literals (exact by the C99 standard, no type punning); packed signs and integers in the
 * narrowest width {@link WeightStorage} picks (the same as the Java backend's). Arrays are 64-byte
 * aligned where the compiler supports it, for vector loads.
 */
final class CWeights {
    /** Literals per source line. */
    private static final int PER_LINE = 8;

    private CWeights() {}

    /** The C element type of a constant as stored. */
    static String elementType(Tensor t) {
        int bits = WeightStorage.elementBits(t);
        return switch (t.dtype()) {
            case F32 -> "float";
            case I64 -> "int" + bits + "_t";
            case BITS -> "uint" + bits + "_t";
        };
    }

    /** The definition of array {@code name} holding {@code t}'s elements, row-major. */
    static String define(String name, Tensor t) {
        StringBuilder sb = new StringBuilder();
        // C has no empty arrays; a size-0 tensor (never read) gets one element.
        int length = Math.max(1, t.size());
        sb.append("static const ").append(elementType(t)).append(' ').append(name).append('[').append(length)
                .append("] BNNC_ALIGNED = {");
        for (int i = 0; i < t.size(); i++) {
            sb.append(i % PER_LINE == 0 ? "\n    " : " ").append(literal(t, i)).append(',');
        }
        if (t.size() == 0) {
            sb.append("0");
        }
        return sb.append("\n};\n").toString();
    }

    private static String literal(Tensor t, int i) {
        boolean wide = WeightStorage.elementBits(t) == 64;
        long v = t.longAt(i);
        return switch (t.dtype()) {
            case F32 -> floatLiteral(t.floatAt(i));
            case I64 -> !wide ? Long.toString(v) : v == Long.MIN_VALUE ? "(-INT64_C(9223372036854775807) - 1)" : "INT64_C(" + v + ")";
            case BITS -> wide ? "UINT64_C(0x" + Long.toHexString(v) + ")" : "0x" + Long.toHexString(v);
        };
    }

    /** {@code 0x1.8p1f}; infinities and NaN through math.h's constant expressions. */
    static String floatLiteral(float v) {
        if (Float.isNaN(v)) {
            return "NAN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "INFINITY" : "-INFINITY";
        }
        return Float.toHexString(v).replace(".0p", "p") + "f";
    }
}
