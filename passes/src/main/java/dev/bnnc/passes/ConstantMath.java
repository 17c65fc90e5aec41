package dev.bnnc.passes;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.util.Optional;

/** Small computations on constant tensors that passes fold into weights. */
final class ConstantMath {
    private ConstantMath() {}

    /** The transpose of a 2-D tensor. */
    static Tensor transpose2d(Tensor t) {
        int r = t.shape().dim(0);
        int c = t.shape().dim(1);
        float[] src = t.toFloatArray();
        float[] dst = new float[src.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                dst[j * r + i] = src[i * c + j];
            }
        }
        return Tensor.adoptFloats(Shape.of(c, r), dst);
    }

    static Tensor scale(Tensor t, float factor) {
        float[] a = t.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
        return Tensor.adoptFloats(t.shape(), a);
    }

    /**
     * The per-channel vector that {@code c} amounts to when broadcast against a tensor of shape
     * {@code target}, if the broadcast leaves the target's shape unchanged and {@code c} varies at most
     * along {@code axis} (a scalar, {@code [C]} right-aligned at the last axis, {@code [C,1,1]},
     * {@code [1,C,1,1]}, ...).
     */
    static Optional<float[]> perChannel(Tensor c, Shape target, int axis) {
        Shape s = c.shape();
        if (s.rank() > target.rank()) {
            return Optional.empty();
        }
        int offset = target.rank() - s.rank();
        for (int i = 0; i < s.rank(); i++) {
            int t = i + offset;
            boolean varies = s.dim(i) != 1;
            if (varies && (t != axis || s.dim(i) != target.dim(t))) {
                return Optional.empty();
            }
        }
        int channels = target.dim(axis);
        float[] v = new float[channels];
        boolean scalarLike = c.size() == 1;
        for (int i = 0; i < channels; i++) {
            v[i] = c.floatAt(scalarLike ? 0 : i);
        }
        return Optional.of(v);
    }

    static Tensor vector(float[] v) {
        return Tensor.ofFloats(Shape.of(v.length), v);
    }
}
