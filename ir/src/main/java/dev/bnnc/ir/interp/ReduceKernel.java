package dev.bnnc.ir.interp;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;

/**
 * Reductions. Each output element folds the elements it reduces in increasing row-major order of
 * the input, in one float accumulator (a long for integers).
 */
final class ReduceKernel {
    private ReduceKernel() {}

    static Tensor reduce(Reduce op, KernelCall call) {
        Tensor x = call.input(0);
        Shape shape = x.shape();
        int[] strides = shape.strides();
        int[][] keptAxes = new int[shape.rank()][];
        int[][] reducedAxes = new int[shape.rank()][];
        int[] keptDims = shape.dims();
        int[] reducedDims = shape.dims();
        for (int a = 0; a < shape.rank(); a++) {
            if (op.axes().contains(a)) {
                keptDims[a] = 1;
            } else {
                reducedDims[a] = 1;
            }
            keptAxes[a] = SourceIndex.multiples(keptDims[a], strides[a]);
            reducedAxes[a] = SourceIndex.multiples(reducedDims[a], strides[a]);
        }
        // first[o]: where output element o's elements start; offsets: where they lie from there, ascending.
        int[] first = SourceIndex.separable(Shape.of(keptDims), keptAxes);
        int[] offsets = SourceIndex.separable(Shape.of(reducedDims), reducedAxes);
        Shape outShape = call.outputType().shape();
        if (x.dtype() == DType.F32) {
            float[] v = x.toFloatArray();
            float[] y = new float[first.length];
            for (int o = 0; o < y.length; o++) {
                y[o] = reduceFloats(op.fn(), v, first[o], offsets);
            }
            return Tensor.adoptFloats(outShape, y);
        }
        long[] v = x.toLongArray();
        long[] y = new long[first.length];
        for (int o = 0; o < y.length; o++) {
            y[o] = reduceLongs(op.fn(), v, first[o], offsets);
        }
        return Tensor.adoptLongs(outShape, y);
    }

    /**
     * MEAN divides the sum by the count; L2 is {@code (float) sqrt} of the sum of squares;
     * LOG_SUM_EXP is {@code (float) log(sum of (float) exp(x − m)) + m} with m the maximum, the
     * overflow-free form ONNX Runtime computes (an infinite m is the result itself).
     */
    private static float reduceFloats(ReduceFn fn, float[] v, int first, int[] offsets) {
        return switch (fn) {
            case SUM, MEAN -> {
                float acc = 0.0f;
                for (int off : offsets) {
                    acc += v[first + off];
                }
                yield fn == ReduceFn.MEAN ? acc / offsets.length : acc;
            }
            case MAX, LOG_SUM_EXP -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int off : offsets) {
                    max = Math.max(max, v[first + off]);
                }
                if (fn == ReduceFn.MAX || Float.isInfinite(max)) {
                    yield max;
                }
                float sum = 0.0f;
                for (int off : offsets) {
                    sum += (float) Math.exp(v[first + off] - max);
                }
                yield (float) Math.log(sum) + max;
            }
            case MIN -> {
                float acc = Float.POSITIVE_INFINITY;
                for (int off : offsets) {
                    acc = Math.min(acc, v[first + off]);
                }
                yield acc;
            }
            case PROD -> {
                float acc = 1.0f;
                for (int off : offsets) {
                    acc *= v[first + off];
                }
                yield acc;
            }
            case SUM_SQUARE, L2 -> {
                float acc = 0.0f;
                for (int off : offsets) {
                    float e = v[first + off];
                    acc += e * e;
                }
                yield fn == ReduceFn.L2 ? (float) Math.sqrt(acc) : acc;
            }
            case L1 -> {
                float acc = 0.0f;
                for (int off : offsets) {
                    acc += Math.abs(v[first + off]);
                }
                yield acc;
            }
        };
    }

    /** Integer reductions; MEAN truncates toward zero. L2 and LOG_SUM_EXP are not integer functions. */
    private static long reduceLongs(ReduceFn fn, long[] v, int first, int[] offsets) {
        long acc = switch (fn) {
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            case SUM, MEAN, SUM_SQUARE, L1 -> 0;
            case L2, LOG_SUM_EXP -> throw new IrException("Reduce " + fn + " is not defined on i64");
        };
        for (int off : offsets) {
            long e = v[first + off];
            acc = switch (fn) {
                case SUM, MEAN -> acc + e;
                case MAX -> Math.max(acc, e);
                case MIN -> Math.min(acc, e);
                case PROD -> acc * e;
                case SUM_SQUARE -> acc + e * e;
                case L1 -> acc + Math.abs(e);
                case L2, LOG_SUM_EXP -> throw new AssertionError(fn);
            };
        }
        if (fn == ReduceFn.MEAN) {
            if (offsets.length == 0) {
                throw new IrException("integer mean of no elements");
            }
            return acc / offsets.length;
        }
        return acc;
    }
}
