package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import java.util.Arrays;

/**
 * Dense layers and matrix products in "axpy" form: each input element scales a contiguous row of the
 * weight into the output row, so the innermost loop is a vectorizable multiply-add over the outputs,
 * while each output still sums over k in ascending order from 0 (the interpreter's order).
 */
final class DenseKernels {
    private DenseKernels() {}

    /** Dense: x [..., K] times w [K, N], plus an optional bias [N]. */
    static void dense(Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value wt = node.input(1);
        Value y = node.output();
        int k = wt.type().dim(0);
        int n = wt.type().dim(1);
        int rows = x.type().size() / k;
        w.loop("r", 0, rows);
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("r", k)) + ";");
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), Index.times("r", n)) + ";");
        rowTimesMatrix(w, env.array(x), env.array(wt), String.valueOf(env.offset(wt)), env.array(y), k, n);
        if (node.inputs().size() > 2) {
            Value b = node.input(2);
            w.loop("j", 0, n).line(env.array(y) + "[yb + j] += " + env.at(b, "j") + ";").close();
        }
        w.close();
    }

    /** MatMul of two run-time operands with NumPy broadcasting over the leading axes. */
    static void matmul(Node node, StepEnv env, CodeWriter w) {
        Value a = node.input(0);
        Value b = node.input(1);
        Value y = node.output();
        int[] ad = a.type().rank() == 1 ? new int[] {1, a.type().dim(0)} : a.type().shape().dims();
        int[] bd = b.type().rank() == 1 ? new int[] {b.type().dim(0), 1} : b.type().shape().dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        int[] aBatch = Arrays.copyOf(ad, ad.length - 2);
        int[] bBatch = Arrays.copyOf(bd, bd.length - 2);
        int[] batch = Shape.of(broadcast(aBatch, bBatch)).dims();
        int[][] strides = {
            scale(LoopNest.broadcastStrides(aBatch, batch), m * k),
            scale(LoopNest.broadcastStrides(bBatch, batch), k * n),
            scale(LoopNest.rowMajor(batch), m * n)
        };
        LoopNest nest = new LoopNest(batch, strides, new int[] {env.offset(a), env.offset(b), env.offset(y)});
        nest.emit(w, "i", (body, idx) -> {
            body.line("int ab = " + idx[0] + ";").line("int bb = " + idx[1] + ";").line("int cb = " + idx[2] + ";");
            body.loop("r", 0, m);
            body.line("int xb = ab + " + Index.times("r", k) + ";");
            body.line("int yb = cb + " + Index.times("r", n) + ";");
            rowTimesMatrix(body, env.array(a), env.array(b), "bb", env.array(y), k, n);
            body.close();
        });
    }

    /** {@code y[yb .. yb+n) = x[xb .. xb+k) · W}, W row-major [k, n] at {@code wBase}. */
    private static void rowTimesMatrix(CodeWriter w, String x, String wt, String wBase, String y, int k, int n) {
        w.loop("j", 0, n).line(y + "[yb + j] = 0.0f;").close();
        w.loop("t", 0, k);
        w.line("float xv = " + x + "[xb + t];");
        w.line("int wb = " + Index.plus(wBase, Index.times("t", n)) + ";");
        w.loop("j", 0, n).line(y + "[yb + j] += xv * " + wt + "[wb + j];").close();
        w.close();
    }

    private static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    private static int[] scale(int[] strides, int factor) {
        int[] s = strides.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] *= factor;
        }
        return s;
    }
}
