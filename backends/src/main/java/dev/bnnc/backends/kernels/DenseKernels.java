package dev.bnnc.backends.kernels;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.FactoredDense;
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
        w.loop("r", 0, rows);
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("r", k)) + ";");
        w.line("int yb = " + Index.plus(String.valueOf(env.offset(y)), Index.times("r", n)) + ";");
        rowTimesMatrix(w, env, env.array(x), table, k, n);
        String bias = node.inputs().size() > 2 ? " + " + env.at(node.input(2), "j") : "";
        w.loop("j", 0, n).line(env.array(y) + "[yb + j] = acc[j]" + bias + ";").close();
        w.close();
    }

    /**
     * Floats in one tile of the rebuilt weight: 16 KB, half of the smallest L1 data cache of the
     * targets (32 KB on Cortex-A53/A72 and most x86 cores), leaving room for the rows of wf
     * streamed through it and for x and y.
     */
    static final int FACTORED_TILE_FLOATS = 4096;

    /**
     * FactoredDense: the flattened product {@code P = xf·wf} is rebuilt one tile at a time (a few
     * rows of P, or a piece of one long row), in P's row-major order, and each tile is applied to y
     * at once, so the whole weight never exists. The tile's stretch of flattened P is cut where it
     * crosses a line of the weight matrix M (a row of w, or one output's column when transposed);
     * each piece updates y by an axpy (a row of w scaled by one input) or by a dot product
     * (transposed). Every y element still sums over k ascending from 0 and every rebuilt weight
     * over the rank ascending from 0, as the interpreter does.
     */
    static void factoredDense(FactoredDense op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value xf = node.input(1);
        Value wf = node.input(2);
        Value y = node.output();
        int k = op.inFeatures();
        int n = op.outFeatures();
        int rank = xf.type().dim(1);
        int nf = wf.type().dim(1);
        int rows = x.type().size() / k;
        if ((long) k * n + nf > Integer.MAX_VALUE) {
            throw new IrException("node " + node.name() + ": a factored weight of " + k + "×" + n
                    + " is beyond 32-bit indexing");
        }
        int weights = k * n;
        int usedRows = (weights + nf - 1) / nf;
        int chunk = Math.min(nf, FACTORED_TILE_FLOATS);
        int tileRows = Math.min(usedRows, FACTORED_TILE_FLOATS / chunk);
        int line = op.transposed() ? k : n;
        String tile = env.scratchRows(0, tileRows, chunk);
        String wfRows = env.constantRows(env.constant(wf).orElseThrow(), nf);
        String yArray = env.array(y);
        w.loop("i", 0, y.type().size()).line(env.at(y, "i") + " = 0.0f;").close();
        w.open("for (int i0 = 0; i0 < " + usedRows + "; i0 += " + tileRows + ")");
        w.line("int tileRows = " + d.imin(String.valueOf(tileRows), usedRows + " - i0") + ";");
        boolean chunked = chunk < nf;
        if (chunked) {
            w.open("for (int c0 = 0; c0 < " + nf + "; c0 += " + chunk + ")");
            w.line("int cols = " + d.imin(String.valueOf(chunk), nf + " - c0") + ";");
        }
        String c0 = chunked ? "c0" : "0";
        String cols = chunked ? "cols" : String.valueOf(chunk);
        // Rebuild: tile row t = row i0 + t of xf times wf (columns c0 .. c0 + cols).
        w.loop("t", 0, "tileRows");
        w.line(d.rowDecl("acc", tile, "t", chunk, true));
        w.loop("j", 0, cols).line("acc[j] = 0.0f;").close();
        w.line("int xfb = " + Index.plus(String.valueOf(env.offset(xf)), "(i0 + t) * " + rank) + ";");
        Accumulation.loop(w, d, "u", "0", String.valueOf(rank), "acc", cols,
                (body, term, u) -> {
                    body.line("float f" + u + " = " + env.array(xf) + "[xfb + " + term + "];");
                    body.line(d.rowDecl("r" + u, wfRows, term, nf, false));
                },
                u -> new ScaledRow("f" + u, "r" + u, c0));
        w.close();
        // Apply: the tile's rows in order, each cut into pieces that lie on one line of M.
        w.loop("t", 0, "tileRows");
        w.line(d.rowDecl("piece", tile, "t", chunk, false));
        w.line("int p = (i0 + t) * " + nf + (chunked ? " + c0" : "") + ";");
        w.line("int end = " + d.imin("p + " + cols, String.valueOf(weights)) + ";");
        w.line("int at = 0;");
        w.open("while (p < end)");
        w.line("int lineIndex = p / " + line + ";");
        w.line("int col = p % " + line + ";");
        w.line("int len = " + d.imin(line + " - col", "end - p") + ";");
        w.loop("b", 0, rows);
        String xb = Index.plus(String.valueOf(env.offset(x)), Index.times("b", k));
        String yb = Index.plus(String.valueOf(env.offset(y)), Index.times("b", n));
        if (op.transposed()) {
            // Output lineIndex gets x[col .. col + len) · piece, added one term at a time.
            w.line("int yi = " + Index.plus(yb, "lineIndex") + ";");
            w.line("int xi = " + Index.plus(xb, "col") + ";");
            w.line("float a = " + yArray + "[yi];");
            w.loop("j", 0, "len").line("a += " + env.array(x) + "[xi + j] * piece[at + j];").close();
            w.line(yArray + "[yi] = a;");
        } else {
            // Input lineIndex scales the piece into outputs col .. col + len.
            w.line("float xv = " + env.array(x) + "[" + Index.plus(xb, "lineIndex") + "];");
            d.multiplyAccumulate(w, yArray, Index.plus(yb, "col"), "len", List.of(new ScaledRow("xv", "piece", "at")));
        }
        w.close(); // b
        w.line("p += len;");
        w.line("at += len;");
        w.close(); // while
        w.close(); // t
        if (chunked) {
            w.close();
        }
        w.close(); // i0
        if (node.inputs().size() > 3) {
            w.loop("b", 0, rows).loop("j", 0, n);
            w.line(env.at(y, Index.plus(Index.times("b", n), "j")) + " += " + env.at(node.input(3), "j") + ";");
            w.close().close();
        }
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
            rowTimesMatrix(body, env, env.array(a), table, k, n);
            body.loop("j", 0, n).line(env.array(y) + "[yb + j] = acc[j];").close();
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

    /** Declares {@code acc} = {@code x[xb .. xb+k) · W}, W a row table [k][n]. */
    private static void rowTimesMatrix(CodeWriter w, StepEnv env, String x, String table, int k, int n) {
        Dialect d = env.dialect();
        w.line(d.rowDecl("acc", env.scratchRows(0, 1, n), "0", n, true));
        w.loop("j", 0, n).line("acc[j] = 0.0f;").close();
        Accumulation.loop(w, d, "t", "0", String.valueOf(k), "acc", String.valueOf(n),
                (body, term, u) -> {
                    body.line("float xv" + u + " = " + x + "[xb + " + term + "];");
                    body.line(d.rowDecl("w" + u, table, term, n, false));
                },
                u -> new ScaledRow("xv" + u, "w" + u, 0));
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
