package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Softmax;

/** Reductions and softmax, summing in ascending index order as the interpreter does. */
final class ReductionKernels {
    private ReductionKernels() {}

    static void reduce(Reduce op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        Dialect d = env.dialect();
        int[] in = x.type().shape().dims();
        int[] inStrides = LoopNest.rowMajor(in);
        int rank = in.length;
        int[] keptDims = new int[rank];
        int[] keptStrides = new int[rank];
        int[] reducedDims = new int[rank];
        int[] reducedStrides = new int[rank];
        int count = 1;
        for (int i = 0; i < rank; i++) {
            boolean reduced = op.axes().contains(i);
            keptDims[i] = reduced ? 1 : in[i];
            keptStrides[i] = reduced ? 0 : inStrides[i];
            reducedDims[i] = reduced ? in[i] : 1;
            reducedStrides[i] = reduced ? inStrides[i] : 0;
            count *= reduced ? in[i] : 1;
        }
        // Output elements are the kept indices in row-major order, whether or not axes are kept as 1s.
        int[] outStrides = LoopNest.rowMajor(keptDims);
        LoopNest outer = new LoopNest(keptDims, new int[][] {keptStrides, outStrides}, new int[] {env.offset(x), env.offset(y)});
        final int n = count;
        outer.emit(w, "i", (body, idx) -> {
            body.line("int xb = " + idx[0] + ";");
            LoopNest window = new LoopNest(reducedDims, new int[][] {reducedStrides}, new String[] {"xb"});
            String y1 = env.array(y) + "[" + idx[1] + "]";
            if (op.fn() == ReduceFn.LOG_SUM_EXP) {
                // log(sum(exp(v - max))) + max: no overflow for large inputs, as ONNX Runtime computes it.
                body.line("float mx = " + d.floatLiteral(Float.NEGATIVE_INFINITY) + ";");
                window.emit(body, "j", (inner, ridx) -> inner.line("mx = " + d.fmax("mx", env.array(x) + "[" + ridx[0] + "]") + ";"));
                body.line("float sum = 0.0f;");
                window.emit(body, "j", (inner, ridx) -> inner.line(
                        "sum += (float) " + d.math("exp", env.array(x) + "[" + ridx[0] + "] - mx") + ";"));
                body.line(y1 + " = mx == " + d.floatLiteral(Float.POSITIVE_INFINITY) + " || mx == "
                        + d.floatLiteral(Float.NEGATIVE_INFINITY) + " ? mx : (float) " + d.math("log", "sum") + " + mx;");
                return;
            }
            body.line("float acc = " + initial(op.fn(), d) + ";");
            window.emit(body, "j", (inner, ridx) -> {
                inner.line("float v = " + env.array(x) + "[" + ridx[0] + "];");
                inner.line(accumulate(op.fn(), d));
            });
            body.line(y1 + " = " + finish(op.fn(), d, n) + ";");
        });
    }

    private static String initial(ReduceFn fn, Dialect d) {
        return switch (fn) {
            case MAX -> d.floatLiteral(Float.NEGATIVE_INFINITY);
            case MIN -> d.floatLiteral(Float.POSITIVE_INFINITY);
            case PROD -> "1.0f";
            default -> "0.0f";
        };
    }

    private static String accumulate(ReduceFn fn, Dialect d) {
        return switch (fn) {
            case SUM, MEAN -> "acc += v;";
            case MAX -> "acc = " + d.fmax("acc", "v") + ";";
            case MIN -> "acc = " + d.fmin("acc", "v") + ";";
            case PROD -> "acc *= v;";
            case SUM_SQUARE, L2 -> "acc += v * v;";
            case L1 -> "acc += " + d.fabs("v") + ";";
            case LOG_SUM_EXP -> throw new IllegalArgumentException("LOG_SUM_EXP is written separately");
        };
    }

    private static String finish(ReduceFn fn, Dialect d, int count) {
        return switch (fn) {
            case MEAN -> "acc / " + d.floatLiteral(count);
            case L2 -> "(float) " + d.math("sqrt", "acc");
            default -> "acc";
        };
    }

    /** Softmax: max, then exp(x - max) summed in order, then each divided by the sum (log form: x - max - log(sum)). */
    static void softmax(Softmax op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        Dialect d = env.dialect();
        var shape = x.type().shape();
        int outer = shape.sizeOf(0, op.axis());
        int len = shape.dim(op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        String xs = env.array(x);
        String ys = env.array(y);
        w.loop("o", 0, outer);
        w.loop("i", 0, inner);
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.plus(Index.times("o", len * inner), "i")) + ";");
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), Index.plus(Index.times("o", len * inner), "i")) + ";");
        String xa = xs + "[xb + " + Index.times("a", inner) + "]";
        String ya = ys + "[yb + " + Index.times("a", inner) + "]";
        w.line("float mx = " + d.floatLiteral(Float.NEGATIVE_INFINITY) + ";");
        w.loop("a", 0, len).line("mx = " + d.fmax("mx", xa) + ";").close();
        w.line("float sum = 0.0f;");
        w.loop("a", 0, len);
        w.line("float e = (float) " + d.math("exp", xa + " - mx") + ";");
        if (!op.log()) {
            w.line(ya + " = e;");
        }
        w.line("sum += e;");
        w.close();
        if (op.log()) {
            w.line("float ls = (float) " + d.math("log", "sum") + ";");
            w.loop("a", 0, len).line(ya + " = " + xa + " - mx - ls;").close();
        } else {
            w.loop("a", 0, len).line(ya + " = " + ya + " / sum;").close();
        }
        w.close();
        w.close();
    }
}
