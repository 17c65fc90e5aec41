package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Dense layers and matrix products in "axpy" form: each input element scales a row of the weight
 * into a row of accumulators, so the innermost loop is a vectorizable multiply-add over the outputs
 * (see {@link Accumulation}), while each output still sums over k in ascending order from 0 (the
 * interpreter's order).
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
        String table = weightRows(env, wt, k, n, w);
        // Rows in pairs where the dialect takes two accumulator rows: each weight row loaded once for both.
        int pair = rows % 2 == 0 ? env.dialect().multiplyAccumulateRows() : 1;
        w.open("for (int r = 0; r < " + rows + "; r += " + pair + ")");
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("r", k)) + ";");
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), Index.times("r", n)) + ";");
        List<AccumulatorRow> accs = rowTimesMatrix(w, env, env.array(x), table, k, n, pair);
        String bias = node.inputs().size() > 2 ? " + " + env.at(node.input(2), "j") : "";
        for (int p = 0; p < pair; p++) {
            w.loop("j", 0, n).line(env.array(y) + "[yb + " + p * n + " + j] = " + accs.get(p).at("j") + bias + ";").close();
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
        String table = env.scratchRows(1, k, n);
        Dialect d = env.dialect();
        LoopNest nest = new LoopNest(batch, strides, new int[] {env.offset(a), env.offset(b), env.offset(y)});
        nest.emit(w, "i", (body, idx) -> {
            // This batch's right operand, one row per k.
            body.loop("t", 0, k).line(d.copy(env.array(b), Index.plus(idx[1], "t * " + n), d.rowRef(table, "t", n), "0", n)).close();
            body.loop("r", 0, m);
            body.line("int xb = " + Index.plus(idx[0], Index.times("r", k)) + ";");
            body.line("int yb = " + Index.plus(idx[2], Index.times("r", n)) + ";");
            AccumulatorRow acc = rowTimesMatrix(body, env, env.array(a), table, k, n, 1).get(0);
            body.loop("j", 0, n).line(env.array(y) + "[yb + j] = " + acc.at("j") + ";").close();
            body.close();
        });
    }

    /** The weight as a row table: the constant's own rows, or a copy of a run-time weight. */
    private static String weightRows(StepEnv env, Value wt, int k, int n, CodeWriter w) {
        Optional<Tensor> constant = env.constant(wt);
        if (constant.isPresent()) {
            return env.constantRows(constant.get(), n);
        }
        String table = env.scratchRows(1, k, n);
        Dialect d = env.dialect();
        w.loop("t", 0, k).line(d.copy(env.array(wt), Index.plus(String.valueOf(env.offset(wt)), "t * " + n),
                d.rowRef(table, "t", n), "0", n)).close();
        return table;
    }

    /**
     * Declares the accumulator rows of {@code x[xb .. xb+k) · W}, W a row table [k][n], and for
     * {@code rows} 2 also the next row's; returns them.
     */
    private static List<AccumulatorRow> rowTimesMatrix(CodeWriter w, StepEnv env, String x, String table, int k, int n, int rows) {
        Dialect d = env.dialect();
        List<AccumulatorRow> accs = Accumulation.declare(w, env, 0, rows, n);
        for (AccumulatorRow acc : accs) {
            w.loop("j", 0, n).line(acc.at("j") + " = 0.0f;").close();
        }
        Accumulation.loop(w, d, "t", "0", String.valueOf(k), accs, String.valueOf(n), rowOf(d, x, "xb", k, rows, table, n),
                u -> scaledRow(u, rows));
        return accs;
    }

    /**
     * {@code acc[j] += x[from + t] · table[t][j]} for the rows t in [0, terms) of a row table whose
     * rows are {@code rowStride} floats apart, and j in [0, length).
     */
    static void accumulateRows(CodeWriter w, Dialect d, String x, String from, String terms, String table, int rowStride,
                               String length) {
        Accumulation.loop(w, d, "t", "0", terms, "acc", length, rowOf(d, x, from, 0, 1, table, rowStride), u -> scaledRow(u, 1));
    }

    /** The same for a number of rows known at compile time (the last few in one pass). */
    static void accumulateRows(CodeWriter w, Dialect d, String x, String from, int terms, String table, int rowStride,
                               String length) {
        Accumulation.loop(w, d, "t", terms, "acc", length, rowOf(d, x, from, 0, 1, table, rowStride), u -> scaledRow(u, 1));
    }

    /** A term's scales {@code xv<u>_<p>} for each of {@code rows} inputs {@code xStride} apart, and its weight row. */
    private static Accumulation.TermSetup rowOf(Dialect d, String x, String from, int xStride, int rows, String table,
                                                int rowStride) {
        return (body, term, u) -> {
            for (int p = 0; p < rows; p++) {
                body.line("float xv" + u + "_" + p + " = " + x + "[" + Index.plus(from, (p == 0 ? "" : p * xStride + " + ") + term)
                        + "];");
            }
            body.line(d.rowDecl("w" + u, table, term, rowStride, false));
        };
    }

    private static ScaledRow scaledRow(int u, int rows) {
        List<String> scales = new ArrayList<>();
        for (int p = 0; p < rows; p++) {
            scales.add("xv" + u + "_" + p);
        }
        return new ScaledRow(scales, "w" + u, 0);
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
