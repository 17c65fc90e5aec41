package dev.bnnc.backends.kernels;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Tensor;

/**
 * How a constant is stored in generated code, the same in every backend: floats as 32-bit floats,
 * packed signs as 64-bit words, integers (thresholds, indices) as 32-bit ints when they fit.
 */
public final class WeightStorage {
    private WeightStorage() {}

    /** Whether an integer constant is stored as 32-bit ints. */
    public static boolean asInts(Tensor t) {
        if (t.dtype() != DType.I64) {
            return false;
        }
        for (int i = 0; i < t.size(); i++) {
            long v = t.longAt(i);
            if (v != (int) v) {
                return false;
            }
        }
        return true;
    }

    /** Bytes the constant takes in generated code. */
    public static long bytes(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> 4L * t.size();
            case BITS -> 8L * t.size();
            case I64 -> (asInts(t) ? 4L : 8L) * t.size();
        };
    }
}
