package dev.bnnc.backends.kernels;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.FactoredDense;

/**
 * FactoredDense, never holding the whole weight. The weight matrix M (w, or wᵀ when transposed) is
 * a prefix of the flattened product P = xf·wf in row-major order, so a tile of consecutive lines of
 * M (rows of w, or the weights of consecutive outputs) is a stretch of P: the rows of P it covers
 * are rebuilt a few at a time (each once: rows that reach into the next tile are kept), their
 * pieces copied into the tile laid out as rows of w, and the tile applied at once by Dense's
 * multiply-accumulate. Every loop reads and writes its rows at the same index, which is what lets
 * compilers vectorize it (see {@link Dialect#rowDecl}); every weight sums over the rank ascending
 * and every output over k ascending, from 0, as the interpreter does.
 *
 * <p>Not transposed, a tile is rows k0.. of w [K, N], and the accumulators of all N outputs live
 * across tiles; transposed, a tile is the weights of outputs n0.. (columns n0.. of w, laid out as K
 * rows of the tile's width), whose outputs are complete when it is applied. Full tiles and the
 * last, shorter one are written separately, so that every loop bound is a constant (gcc's loop
 * analysis then sees the bounds, and warns of nothing).
 */
final class FactoredDenseKernel {
    /**
     * Floats in one tile of the rebuilt weight: 16 KB, half of the smallest L1 data cache of the
     * targets (32 KB on Cortex-A53/A72 and most x86 cores), leaving room for x, the accumulators and
     * the rows being rebuilt.
     */
    static final int TILE_FLOATS = 4096;
    /** Rows of P rebuilt together, each block of wf read once for all of them. */
    static final int BLOCK_ROWS = 8;
    /**
     * Floats in a block of wf (its rows over some columns) while rebuilding: 256 KB, half of the
     * smallest L2 (512 KB), so it stays there across the block's rows of P.
     */
    static final int WF_BLOCK_FLOATS = 65536;
    /**
     * The narrowest block of wf: HotSpot's vector loops take 64 to 128 floats per iteration and
     * leave the rest to a scalar loop, so much shorter rows would run scalar.
     */
    static final int MIN_CHUNK = 256;

    private final StepEnv env;
    private final Dialect d;
    private final CodeWriter w;
    private final Node node;
    private final boolean transposed;
    private final int k;
    private final int n;
    private final int rank;
    private final int nf;
    private final int rows;
    /** Length of a line of M, and how many lines M has. */
    private final int line;
    private final int lines;
    private final int tileLines;
    private final int usedRows;
    private final int blockRows;
    /** Columns of a block of wf. */
    private final int chunk;
    private final int productStride;
    private final int tileStride;
    private final int accStride;
    private final String product;
    private final String tile;
    private final String accTable;
    private final String wfRows;

    private FactoredDenseKernel(FactoredDense op, Node node, StepEnv env, CodeWriter w) {
        this.env = env;
        this.d = env.dialect();
        this.w = w;
        this.node = node;
        this.transposed = op.transposed();
        this.k = op.inFeatures();
        this.n = op.outFeatures();
        this.rank = node.input(1).type().dim(1);
        this.nf = node.input(2).type().dim(1);
        this.rows = node.input(0).type().size() / k;
        if ((long) k * n + nf > Integer.MAX_VALUE) {
            throw new IrException("node " + node.name() + ": a factored weight of " + k + "×" + n + " is beyond 32-bit indexing");
        }
        this.line = transposed ? k : n;
        this.lines = transposed ? n : k;
        this.tileLines = Math.max(1, Math.min(lines, TILE_FLOATS / line));
        this.usedRows = (k * n + nf - 1) / nf;
        this.blockRows = Math.min(usedRows, BLOCK_ROWS);
        this.chunk = Math.min(nf, Math.max(MIN_CHUNK, WF_BLOCK_FLOATS / rank / 64 * 64));
        this.productStride = scratchStride(nf);
        this.tileStride = scratchStride(transposed ? tileLines : n);
        this.accStride = tileStride;
        this.product = env.scratchRows(0, blockRows, productStride);
        this.tile = env.scratchRows(1, transposed ? k : tileLines, tileStride);
        this.accTable = env.scratchRows(2, transposed ? 1 : rows, accStride);
        this.wfRows = env.constantRows(env.constant(node.input(2)).orElseThrow(), nf);
    }

    static void emit(FactoredDense op, Node node, StepEnv env, CodeWriter w) {
        new FactoredDenseKernel(op, node, env, w).emit();
    }

    /** Floats between rows of a scratch table of rows of {@code floats}: padded where they would conflict in L1. */
    private static int scratchStride(int floats) {
        return FactoredDense.conflictingRowLength(floats) ? floats + 64 : floats;
    }

    private void emit() {
        if (!transposed) {
            w.loop("b", 0, rows).line(d.rowDecl("acc", accTable, "b", accStride, true)).loop("j", 0, n).line("acc[j] = 0.0f;")
                    .close().close();
        }
        w.line("int first = -" + blockRows + ";");
        int full = lines / tileLines * tileLines;
        if (full > 0) {
            w.open("for (int l0 = 0; l0 < " + full + "; l0 += " + tileLines + ")");
            tile(tileLines);
            w.close();
        }
        if (full < lines) {
            w.block().line("int l0 = " + full + ";");
            tile(lines - full);
            w.close();
        }
        if (!transposed) {
            w.loop("b", 0, rows).line(d.rowDecl("acc", accTable, "b", accStride, true));
            w.loop("j", 0, n).line(env.at(node.output(), Index.plus(Index.times("b", n), "j")) + " = acc[j]" + bias("j") + ";").close();
            w.close();
        }
    }

    private String bias(String output) {
        return node.inputs().size() > 3 ? " + " + env.at(node.input(3), output) : "";
    }

    /** The tile of lines l0 .. l0 + count: filled from the rows of P it covers, then applied. */
    private void tile(int count) {
        w.line("int start = l0 * " + line + ";");
        w.line("int end = start + " + count * line + ";");
        // The rows of P come in ascending order.
        w.open("for (int i = start / " + nf + "; i <= (end - 1) / " + nf + "; i++)");
        w.open("if (i >= first + " + blockRows + ")");
        rebuildBlock();
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
        Value x = node.input(0);
        w.loop("b", 0, rows);
        w.line("int xb = " + Index.plus(String.valueOf(env.offset(x)), Index.times("b", k)) + ";");
        if (transposed) {
            w.line(d.rowDecl("acc", accTable, "0", accStride, true));
            w.loop("j", 0, count).line("acc[j] = 0.0f;").close();
            DenseKernels.accumulateRows(w, d, env.array(x), "xb", k, tile, tileStride, String.valueOf(count));
            Value y = node.output();
            String yb = Index.plus(String.valueOf(env.offset(y)), Index.plus(Index.times("b", n), "l0"));
            w.loop("j", 0, count).line(env.array(y) + "[" + Index.plus(yb, "j") + "] = acc[j]" + bias("l0 + j") + ";").close();
        } else {
            w.line(d.rowDecl("acc", accTable, "b", accStride, true));
            DenseKernels.accumulateRows(w, d, env.array(x), "xb + l0", count, tile, tileStride, String.valueOf(n));
        }
        w.close(); // b
    }

    /**
     * Rows {@code first = i} .. of P (as many as a block holds, or are left), rebuilt together.
     * Where wf is larger than {@link #WF_BLOCK_FLOATS}, column block by column block: each block of
     * wf is copied into scratch once for all the rows, and each row's piece accumulates in a scratch
     * row, so that every loop still reads its rows at [j] (HotSpot does not vectorize loops over rows
     * at a run-time offset: 5× slower).
     */
    private void rebuildBlock() {
        w.line("first = i;");
        w.line("int held = " + d.imin(String.valueOf(blockRows), usedRows + " - i") + ";");
        if (chunk == nf) {
            w.loop("t", 0, "held");
            w.line(d.rowDecl("pr", product, "t", productStride, true));
            w.loop("j", 0, nf).line("pr[j] = 0.0f;").close();
            accumulateRank("pr", wfRows, nf, String.valueOf(nf));
            w.close();
            return;
        }
        String block = env.scratchRows(3, rank, chunk);
        String accRow = env.scratchRows(4, 1, chunk);
        w.open("for (int c0 = 0; c0 < " + nf + "; c0 += " + chunk + ")");
        w.line("int cols = " + d.imin(String.valueOf(chunk), nf + " - c0") + ";");
        w.loop("u", 0, rank).line(d.copy(d.rowRef(wfRows, "u", nf), "c0", d.rowRef(block, "u", chunk), "0", "cols")).close();
        w.loop("t", 0, "held");
        w.line(d.rowDecl("pc", accRow, "0", chunk, true));
        w.loop("j", 0, "cols").line("pc[j] = 0.0f;").close();
        accumulateRank("pc", block, chunk, "cols");
        w.line(d.copy("pc", "0", d.rowRef(product, "t", productStride), "c0", "cols"));
        w.close(); // t
        w.close(); // c0
    }

    /** {@code acc[j] += xf[first + t, u] · rows[u][j]} over the rank u ascending, j in [0, length). */
    private void accumulateRank(String acc, String rowsTable, int rowStride, String length) {
        Value xf = node.input(1);
        w.line("int xfb = " + Index.plus(String.valueOf(env.offset(xf)), "(first + t) * " + rank) + ";");
        Accumulation.loop(w, d, "u", rank, acc, length,
                (body, term, u) -> {
                    body.line("float f" + u + " = " + env.array(xf) + "[xfb + " + term + "];");
                    body.line(d.rowDecl("r" + u, rowsTable, term, rowStride, false));
                },
                u -> new ScaledRow("f" + u, "r" + u, 0));
    }
}
