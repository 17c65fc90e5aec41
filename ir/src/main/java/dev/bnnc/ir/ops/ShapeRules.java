package dev.bnnc.ir.ops;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** Checks and shape arithmetic shared by the ops' type inference. */
final class ShapeRules {
    private ShapeRules() {}

    static void arity(List<TensorType> in, int min, int max) {
        if (in.size() < min || in.size() > max) {
            String want = min == max ? String.valueOf(min) : min + ".." + max;
            throw new IrException("expects " + want + " inputs, got " + in.size());
        }
    }

    static TensorType requireFloat(TensorType t, String what) {
        if (t.dtype() != DType.F32) {
            throw new IrException(what + " must be f32, got " + t);
        }
        return t;
    }

    static void requireRank(TensorType t, int rank, String what) {
        if (t.rank() != rank) {
            throw new IrException(what + " must have rank " + rank + ", got " + t);
        }
    }

    /** Per-channel parameter of length {@code channels}: shape [C] (or [1] when C = 1). */
    static void requireVector(TensorType t, int channels, String what) {
        if (t.rank() != 1 || t.dim(0) != channels) {
            throw new IrException(what + " must have shape [" + channels + "], got " + t);
        }
    }

    /** NumPy-style multidirectional broadcast of two shapes. */
    static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IrException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    static void requireLength(List<Integer> list, int length, String what) {
        if (list.size() != length) {
            throw new IrException(what + " must have " + length + " entries, got " + list);
        }
    }

    static void requirePositive(List<Integer> list, String what) {
        for (int v : list) {
            if (v <= 0) {
                throw new IrException(what + " must be positive, got " + list);
            }
        }
    }

    /**
     * Output length of a sliding window along one axis (convolution and pooling), ONNX rules:
     * {@code floor_or_ceil((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1}.
     */
    static int windowOutput(int in, int kernel, int stride, int dilation, int padBegin, int padEnd, boolean ceil) {
        int span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
        if (span < 0) {
            throw new IrException("window of " + kernel + " (dilation " + dilation + ") does not fit input length "
                    + in + " with pads " + padBegin + "," + padEnd);
        }
        int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        // ONNX: with ceil mode, the last window must start inside the input or the begin padding.
        if (ceil && (out - 1) * stride >= in + padBegin) {
            out--;
        }
        return out;
    }
}
