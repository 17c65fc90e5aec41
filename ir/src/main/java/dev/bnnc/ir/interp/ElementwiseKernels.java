package dev.bnnc.ir.interp;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** Element-wise ops: unary functions, broadcast binary functions and casts. */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** A float function of two elements. */
    @FunctionalInterface
    private interface FloatBinaryFn {
        float apply(float a, float b);
    }

    /** {@code (float) fn((double) x)} for every element of a float tensor. */
    static Tensor map(Tensor x, DoubleUnaryOperator fn) {
        float[] a = x.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) fn.applyAsDouble(a[i]);
        }
        return Tensor.adoptFloats(x.shape(), a);
    }

    /** Unary NEG, ABS and SIGN on integers; the others are float functions. */
    static Tensor unaryLong(UnaryFn fn, Tensor x) {
        LongUnaryOperator f = switch (fn) {
            case NEG -> v -> -v;
            case ABS -> Math::abs;
            case SIGN -> v -> Long.signum(v);
            default -> throw new IrException("Unary " + fn + " is not defined on i64");
        };
        long[] a = x.toLongArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = f.applyAsLong(a[i]);
        }
        return Tensor.adoptLongs(x.shape(), a);
    }

    static Tensor binary(Binary op, Tensor a, Tensor b, Shape out) {
        return a.dtype() == DType.F32 ? binaryFloat(op.fn(), a, b, out) : binaryLong(op.fn(), a, b, out);
    }

    private static Tensor binaryFloat(BinaryFn fn, Tensor a, Tensor b, Shape out) {
        FloatBinaryFn f = switch (fn) {
            case ADD -> (x, y) -> x + y;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> x / y;
            case POW -> (x, y) -> (float) Math.pow(x, y);
            case MAX -> Math::max;
            case MIN -> Math::min;
            case PRELU -> (x, y) -> x >= 0 ? x : x * y;
        };
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        float[] r = new float[out.size()];
        if (a.shape().equals(out) && b.shape().equals(out)) {
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(x[i], y[i]);
            }
        } else {
            int[] ia = SourceIndex.broadcast(a.shape(), out);
            int[] ib = SourceIndex.broadcast(b.shape(), out);
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(x[ia[i]], y[ib[i]]);
            }
        }
        return Tensor.adoptFloats(out, r);
    }

    private static Tensor binaryLong(BinaryFn fn, Tensor a, Tensor b, Shape out) {
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        int[] ia = SourceIndex.broadcast(a.shape(), out);
        int[] ib = SourceIndex.broadcast(b.shape(), out);
        long[] r = new long[out.size()];
        for (int i = 0; i < r.length; i++) {
            long divisor = y[ib[i]];
            if (divisor == 0 && fn == BinaryFn.DIV) {
                throw new IrException("integer division by zero");
            }
            r[i] = fn.apply(x[ia[i]], divisor);
        }
        return Tensor.adoptLongs(out, r);
    }

    /** F32 to I64 truncates toward zero (NaN becomes 0, out-of-range values saturate); I64 to F32 rounds to nearest. */
    static Tensor cast(Cast op, Tensor x) {
        if (x.dtype() == op.to()) {
            return x;
        }
        return op.to() == DType.I64 ? Tensor.adoptLongs(x.shape(), x.toLongArray())
                : Tensor.adoptFloats(x.shape(), x.toFloatArray());
    }
}
