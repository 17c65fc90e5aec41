package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Tensor;

/**
 * How a constant is stored in generated code, the same in every backend: floats as 32-bit floats;
 * packed signs as unsigned words of the narrowest width holding them all (a 5-tap kernel in a byte,
 * 32 channels in 32 bits); integers (thresholds, indices) as the narrowest signed width of 16 or
 * 32 bits that holds them, else 64.
 */
public final class WeightStorage {
    private WeightStorage() {}

    /** Bits per stored element. */
    public static int elementBits(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> 32;
            case BITS -> {
                long all = 0;
                for (int i = 0; i < t.size(); i++) {
                    all |= t.longAt(i);
                }
                yield all >>> 8 == 0 ? 8 : all >>> 16 == 0 ? 16 : all >>> 32 == 0 ? 32 : 64;
            }
            case I64 -> {
                int bits = 16;
                for (int i = 0; i < t.size() && bits < 64; i++) {
                    long v = t.longAt(i);
                    if (v != (short) v) {
                        bits = Math.max(bits, v == (int) v ? 32 : 64);
                    }
                }
                yield bits;
            }
        };
    }

    /** Bytes the constant takes in generated code. */
    public static long bytes(Tensor t) {
        return (long) t.size() * elementBits(t) / 8;
    }
}
