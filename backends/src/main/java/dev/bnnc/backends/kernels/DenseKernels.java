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
     * targets (32 KB on Cortex-A53/A72 and most x86 cores), leaving room for x, the accumulators and
     * the rows being rebuilt. A block of wf read while rebuilding is sized the same.
     */
    static final int FACTORED_TILE_FLOATS = 4096;
    /** Rows of P rebuilt together, each block of wf read once for all of them. */
    static final int FACTORED_BLOCK_ROWS = 8;

    /**
     * FactoredDense, never holding the whole weight. The weight matrix M (w, or wᵀ when transposed)
     * is a prefix of the flattened product P = xf·wf in row-major order, so a tile of consecutive
     * lines of M (rows of w, or the weights of consecutive outputs) is a stretch of P: the rows of
     * P it covers are rebuilt a few at a time (each once: rows that reach into the next tile are
     * kept), their pieces copied into the tile laid out as rows of w, and the tile applied at once by the
     * multiply-accumulate of Dense. Every loop reads and writes its rows at the same index, which
     * is what lets compilers vectorize it (see {@link Dialect#rowDecl}); every weight sums over the
     * rank ascending and every output over k ascending, from 0, as the interpreter does.
     *
     * <p>Not transposed, a tile is rows k0.. of w [K, N], and the accumulators of all N outputs live
     * across tiles; transposed, a tile is the weights of outputs n0.. (columns n0.. of w, laid out
     * as K rows of the tile's width), whose outputs are complete when it is applied.
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
            throw new IrException("node " + node.name() + ": a factored weight of " + k + "×" + n + " is beyond 32-bit indexing");
        }
        boolean transposed = op.transposed();
        int line = transposed ? k : n;
        int lines = transposed ? n : k;
        int tileLines = Math.max(1, Math.min(lines, FACTORED_TILE_FLOATS / line));
        int usedRows = (k * n + nf - 1) / nf;
        int blockRows = Math.min(usedRows, FACTORED_BLOCK_ROWS);
        int chunk = rank * nf <= FACTORED_TILE_FLOATS ? nf : Math.min(nf, Math.max(16, FACTORED_TILE_FLOATS / rank / 16 * 16));
        int productStride = scratchStride(nf);
        int tileStride = scratchStride(transposed ? tileLines : n);
        int accStride = scratchStride(transposed ? tileLines : n);
        String product = env.scratchRows(0, blockRows, productStride);
        String tile = transposed ? env.scratchRows(1, k, tileStride) : env.scratchRows(1, tileLines, tileStride);
        String accTable = transposed ? env.scratchRows(2, 1, accStride) : env.scratchRows(2, rows, accStride);
        String wfRows = env.constantRows(env.constant(wf).orElseThrow(), nf);
        String xArray = env.array(x);
        String bias = node.inputs().size() > 3 ? " + " + env.at(node.input(3), transposed ? "l0 + j" : "j") : "";
        if (!transposed) {
            w.loop("b", 0, rows).line(d.rowDecl("acc", accTable, "b", accStride, true)).loop("j", 0, n).line("acc[j] = 0.0f;")
                    .close().close();
        }
        w.line("int first = -" + blockRows + ";");
        w.open("for (int l0 = 0; l0 < " + lines + "; l0 += " + tileLines + ")");
        w.line("int count = " + d.imin(String.valueOf(tileLines), lines + " - l0") + ";");
        w.line("int start = l0 * " + line + ";");
        w.line("int end = start + count * " + line + ";");
        // Fill the tile from the rows of P it covers, which come in ascending order.
        w.open("for (int i = start / " + nf + "; i <= (end - 1) / " + nf + "; i++)");
        w.open("if (i >= first + " + blockRows + ")");
        rebuildBlock(w, env, xf, wfRows, product, productStride, rank, nf, usedRows, blockRows, chunk);
        w.close();
        w.line(d.rowDecl("pr", product, "i - first", productStride, false));
        w.line("int p = " + d.imax("start", "i * " + nf) + ";");
        w.line("int stop = " + d.imin("end", "(i + 1) * " + nf) + ";");
        w.open("while (p < stop)");
        w.line("int lineIndex = (p - start) / " + line + ";");
        w.line("int col = (p - start) % " + line + ";");
        w.line("int len = " + d.imin(line + " - col", "stop - p") + ";");
        if (transposed) {
            // Output l0 + lineIndex's weights k = col ..: a column of the tile.
            w.loop("j", 0, "len").line(d.rowRef(tile, "col + j", tileStride) + "[lineIndex] = pr[p - i * " + nf + " + j];").close();
        } else {
            w.line(d.copy("pr", "p - i * " + nf, d.rowRef(tile, "lineIndex", tileStride), "col", "len"));
        }
        w.line("p += len;");
        w.close(); // while
        w.close(); // rows of P
        // Apply it.
        w.loop("b", 0, rows);
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("b", k)) + ";");
        if (transposed) {
            w.line(d.rowDecl("acc", accTable, "0", accStride, true));
            w.loop("j", 0, "count").line("acc[j] = 0.0f;").close();
            applyTile(w, d, xArray, "xb", String.valueOf(k), tile, tileStride, "count");
            String yb = Index.plus(String.valueOf(env.offset(y)), Index.plus(Index.times("b", n), "l0"));
            w.loop("j", 0, "count").line(env.array(y) + "[" + Index.plus(yb, "j") + "] = acc[j]" + bias + ";").close();
        } else {
            w.line(d.rowDecl("acc", accTable, "b", accStride, true));
            applyTile(w, d, xArray, "xb + l0", "count", tile, tileStride, String.valueOf(n));
        }
        w.close(); // b
        w.close(); // tiles
        if (!transposed) {
            w.loop("b", 0, rows).line(d.rowDecl("acc", accTable, "b", accStride, true));
            w.loop("j", 0, n).line(env.at(y, Index.plus(Index.times("b", n), "j")) + " = acc[j]" + bias + ";").close();
            w.close();
        }
    }

    /**
     * Rows {@code first = i} .. of P (as many as a block holds, or are left), rebuilt together
     * column block by column block, so that each block of wf (its rows over {@code chunk} columns,
     * sized for L1) is read from memory once for all of them.
     */
    private static void rebuildBlock(CodeWriter w, StepEnv env, Value xf, String wfRows, String product, int productStride,
                                     int rank, int nf, int usedRows, int blockRows, int chunk) {
        Dialect d = env.dialect();
        w.line("first = i;");
        w.line("int held = " + d.imin(String.valueOf(blockRows), usedRows + " - i") + ";");
        w.loop("t", 0, "held").line(d.rowDecl("pr", product, "t", productStride, true)).loop("j", 0, nf).line("pr[j] = 0.0f;")
                .close().close();
        boolean chunked = chunk < nf;
        if (chunked) {
            w.open("for (int c0 = 0; c0 < " + nf + "; c0 += " + chunk + ")");
            w.line("int cols = " + d.imin(String.valueOf(chunk), nf + " - c0") + ";");
        }
        String c0 = chunked ? "c0" : "0";
        w.loop("t", 0, "held");
        w.line(d.rowDecl("pr", product, "t", productStride, true));
        w.line("int xfb = " + Index.plus(String.valueOf(env.offset(xf)), "(first + t) * " + rank) + ";");
        Accumulation.loop(w, d, "u", "0", String.valueOf(rank), "pr", c0, chunked ? "cols" : String.valueOf(nf),
                (body, term, u) -> {
                    body.line("float f" + u + " = " + env.array(xf) + "[xfb + " + term + "];");
                    body.line(d.rowDecl("r" + u, wfRows, term, nf, false));
                },
                u -> new ScaledRow("f" + u, "r" + u, c0));
        w.close();
        if (chunked) {
            w.close();
        }
    }

    /** Floats between rows of a scratch table of rows of {@code floats}: padded where they would conflict in L1. */
    private static int scratchStride(int floats) {
        return FactoredDense.conflictingRowLength(floats) ? floats + 64 : floats;
    }

    /** {@code acc[j] += x[from + t] · tile[t][j]} for the tile's rows t in [0, terms) and j in [0, length). */
    private static void applyTile(CodeWriter w, Dialect d, String x, String from, String terms, String tile, int rowLength,
                                  String length) {
        Accumulation.loop(w, d, "t", "0", terms, "acc", length,
                (body, term, u) -> {
                    body.line("float xv" + u + " = " + x + "[" + from + " + " + term + "];");
                    body.line(d.rowDecl("w" + u, tile, term, rowLength, false));
                },
                u -> new ScaledRow("xv" + u, "w" + u, 0));
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
