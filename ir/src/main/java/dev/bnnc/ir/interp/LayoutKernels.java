package dev.bnnc.ir.interp;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import java.util.ArrayList;
import java.util.List;

/**
 * Ops that move elements without computing on them, for f32 and i64 alike: each builds the
 * {@link SourceIndex} map of its output, or copies contiguous blocks.
 */
final class LayoutKernels {
    private LayoutKernels() {}

    static Tensor transpose(Transpose op, Tensor x, Shape out) {
        int[] strides = x.shape().strides();
        int[][] perAxis = new int[out.rank()][];
        for (int a = 0; a < out.rank(); a++) {
            perAxis[a] = SourceIndex.multiples(out.dim(a), strides[op.perm().get(a)]);
        }
        return gather(x, out, SourceIndex.separable(out, perAxis), 0);
    }

    static Tensor slice(Slice op, Tensor x, Shape out) {
        int[] strides = x.shape().strides();
        int[][] perAxis = new int[out.rank()][];
        for (int a = 0; a < out.rank(); a++) {
            int[] offsets = new int[out.dim(a)];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = (op.starts().get(a) + i * op.steps().get(a)) * strides[a];
            }
            perAxis[a] = offsets;
        }
        return gather(x, out, SourceIndex.separable(out, perAxis), 0);
    }

    static Tensor tile(Tile op, Tensor x, Shape out) {
        int[] strides = x.shape().strides();
        int[][] perAxis = new int[out.rank()][];
        for (int a = 0; a < out.rank(); a++) {
            int[] offsets = new int[out.dim(a)];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = i % x.shape().dim(a) * strides[a];
            }
            perAxis[a] = offsets;
        }
        return gather(x, out, SourceIndex.separable(out, perAxis), 0);
    }

    static Tensor expand(Tensor x, Shape out) {
        return gather(x, out, SourceIndex.broadcast(x.shape(), out), 0);
    }

    /** Seen as {@code [outer, D, inner] → [outer, I, inner]}, with I the number of indices. */
    static Tensor gather(Gather op, Tensor x, Shape out) {
        Shape in = x.shape();
        int outer = in.sizeOf(0, op.axis());
        int inner = in.sizeOf(op.axis() + 1, in.rank());
        long[] indices = op.indices().toLongArray();
        int[] picked = new int[indices.length];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = (int) indices[i] * inner;
        }
        Shape view = Shape.of(outer, picked.length, inner);
        int[][] perAxis = {SourceIndex.multiples(outer, in.dim(op.axis()) * inner), picked,
                SourceIndex.multiples(inner, 1)};
        return gather(x, out, SourceIndex.separable(view, perAxis), 0);
    }

    /**
     * ONNX Pad. Along each axis, output coordinate o reads input coordinate {@code o − padBegin}
     * (so negative pads crop); outside the input, CONSTANT fills with the value, REFLECT mirrors
     * about the edge element without repeating it, EDGE repeats the edge element. As in ONNX
     * Runtime, which crops before it pads, a reflection must not reach a cropped element.
     */
    static Tensor pad(Pad op, Tensor x, Shape out) {
        Shape in = x.shape();
        int r = in.rank();
        int[] strides = in.strides();
        int[][] perAxis = new int[r][];
        for (int a = 0; a < r; a++) {
            int d = in.dim(a);
            int keptFrom = Math.max(0, -op.pads().get(a));
            int keptTo = d - Math.max(0, -op.pads().get(a + r));
            int[] offsets = new int[out.dim(a)];
            for (int o = 0; o < offsets.length; o++) {
                int i = o - op.pads().get(a);
                if (i < 0 || i >= d) {
                    i = switch (op.mode()) {
                        case CONSTANT -> SourceIndex.FILL;
                        case REFLECT -> i < 0 ? -i : 2 * (d - 1) - i;
                        case EDGE -> i < 0 ? 0 : d - 1;
                    };
                    if (op.mode() == PadMode.REFLECT && (i < keptFrom || i >= keptTo)) {
                        throw new IrException("reflect pads " + op.pads() + " reach past the cropped axis " + a + " of "
                                + in);
                    }
                }
                offsets[o] = i == SourceIndex.FILL ? SourceIndex.FILL : i * strides[a];
            }
            perAxis[a] = offsets;
        }
        return gather(x, out, SourceIndex.separable(out, perAxis), op.value());
    }

    static Tensor concat(Concat op, List<Tensor> inputs, TensorType outType) {
        Shape out = outType.shape();
        int outer = out.sizeOf(0, op.axis());
        int outBlock = out.sizeOf(op.axis(), out.rank());
        Object result = newArray(outType.dtype(), out.size());
        int offset = 0;
        for (Tensor t : inputs) {
            Object src = elements(t);
            int block = t.shape().sizeOf(op.axis(), t.shape().rank());
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * block, result, o * outBlock + offset, block);
            }
            offset += block;
        }
        return adopt(outType.dtype(), out, result);
    }

    static List<Tensor> split(Split op, Tensor x, List<TensorType> outTypes) {
        Shape in = x.shape();
        int outer = in.sizeOf(0, op.axis());
        int inBlock = in.sizeOf(op.axis(), in.rank());
        Object src = elements(x);
        List<Tensor> parts = new ArrayList<>(outTypes.size());
        int offset = 0;
        for (TensorType t : outTypes) {
            int block = t.shape().sizeOf(op.axis(), t.rank());
            Object part = newArray(t.dtype(), t.size());
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * inBlock + offset, part, o * block, block);
            }
            offset += block;
            parts.add(adopt(t.dtype(), t.shape(), part));
        }
        return parts;
    }

    /** Output element i is source element {@code index[i]}, or {@code fill} where that is {@link SourceIndex#FILL}. */
    private static Tensor gather(Tensor src, Shape out, int[] index, float fill) {
        if (src.dtype() == DType.F32) {
            float[] s = src.toFloatArray();
            float[] r = new float[index.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = index[i] == SourceIndex.FILL ? fill : s[index[i]];
            }
            return Tensor.adoptFloats(out, r);
        }
        long[] s = src.toLongArray();
        long[] r = new long[index.length];
        long longFill = (long) fill;
        for (int i = 0; i < r.length; i++) {
            r[i] = index[i] == SourceIndex.FILL ? longFill : s[index[i]];
        }
        return Tensor.adoptLongs(out, r);
    }

    /** A copy of the elements: a {@code float[]} or a {@code long[]}. */
    private static Object elements(Tensor t) {
        return t.dtype() == DType.F32 ? t.toFloatArray() : t.toLongArray();
    }

    private static Object newArray(DType dtype, int size) {
        return dtype == DType.F32 ? new float[size] : new long[size];
    }

    private static Tensor adopt(DType dtype, Shape shape, Object array) {
        return dtype == DType.F32 ? Tensor.adoptFloats(shape, (float[]) array) : Tensor.adoptLongs(shape, (long[]) array);
    }
}
