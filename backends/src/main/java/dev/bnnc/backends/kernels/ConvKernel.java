package dev.bnnc.backends.kernels;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * N-d convolution. Every schedule sums each output element over the input channels of its group,
 * then the kernel taps in row-major order, from 0, and adds the bias last: the interpreter's order,
 * so results agree bit for bit (a zero-padded tap adds {@code w * 0}, which changes no finite sum).
 * The schedule is picked per layer so that the innermost loop is long and runs over rows
 * (see {@link Accumulation}):
 * <ul>
 *   <li>{@link #spatial}: depthwise, stride 1, 1-D or 2-D, long planes: each (channel, tap) adds
 *       {@code w * x} over the flattened plane of a zero-padded copy of the input, shifted by the
 *       tap's offset;
 *   <li>{@link #im2col}: long output planes: what each (input channel, tap) reads for every output
 *       position is gathered into a row (for 1x1 layers the rows are the input planes), and each
 *       output plane sums {@code w * row} over its group's rows;
 *   <li>{@link #channels}: short planes such as 1-D convolutions over a few frames: each (output
 *       position, input channel, tap) adds {@code x * w} over the group's output channels, with the
 *       weights transposed into rows.
 * </ul>
 */
final class ConvKernel {
    /** Rows shorter than this leave too little for vectorized loops to win. */
    private static final int SHORT = 32;

    private ConvKernel() {}

    static void emit(Conv op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        Geometry g = new Geometry(op, node, tail);
        switch (schedule(g, env)) {
            case SPATIAL -> spatial(g, node, env, w);
            case IM2COL -> im2col(g, node, env, w, env.constant(node.input(1)).isPresent(), Optional.empty());
            case CHANNELS -> channels(g, node, env, w);
        }
    }

    /**
     * The {@link #im2col} schedule with each block of {@code lanes} output columns summed into
     * vectors of {@code v} by the dialect's {@link Dialect#productBlock} helper and given the bias and
     * the tail there, each output stored once instead of stored, loaded and stored again by the
     * epilogue (on Zen 4: the BiFSMN's first convolution 4.61-4.79 -> 4.44-4.59 us, the step alone;
     * the DS-CNN 29.6-30.3 -> 27.6-28.2 us, its first convolution's 125 columns ending in a block
     * computed again in part); the statements then return.
     * For layers that take that schedule with constant weights, whose tail has a vector form, where
     * the dialect has the helper; false otherwise (nothing written).
     */
    static boolean emitOnLanes(Conv op, Node node, StepEnv env, ElementTail tail, FloatVectors v, int lanes, CodeWriter w) {
        Geometry g = new Geometry(op, node, tail);
        int plane = Shape.of(g.out).size();
        // A plane of no whole number of blocks ends with its last whole block, whose first columns are
        // computed and stored again: the same values, unless the tail reads the output it overwrites.
        if (schedule(g, env) != Schedule.IM2COL || env.constant(node.input(1)).isEmpty() || plane < lanes
                || plane % lanes != 0 && tail.readsElements()) {
            return false;
        }
        Optional<String> block = env.dialect().productBlock(env.dialect().productRows(g.mg));
        Optional<LaneTail> onLanes = tail.onLanes(v);
        if (block.isEmpty() || onLanes.isEmpty()) {
            return false;
        }
        w.block(); // its own scope: the portable kernel's statements follow
        im2col(g, node, env, w, true, Optional.of(new OnLanes(block.get(), onLanes.get(), v, lanes)));
        w.line("return;");
        w.close();
        return true;
    }

    private enum Schedule { SPATIAL, IM2COL, CHANNELS }

    private static Schedule schedule(Geometry g, StepEnv env) {
        boolean unitStrides = g.op.strides().stream().allMatch(s -> s == 1);
        int plane = Shape.of(g.out).size();
        if (unitStrides && g.taps > 1 && g.spatialRank <= 2 && g.group == g.channels && g.paddedPlane() >= SHORT) {
            return Schedule.SPATIAL;
        }
        return plane >= Math.min(SHORT, g.mg) || env.constant(g.node.input(1)).isEmpty() ? Schedule.IM2COL : Schedule.CHANNELS;
    }

    /** How {@link #emitOnLanes} sums and stores: the block helper, the tail on vectors, their lanes. */
    private record OnLanes(String block, LaneTail tail, FloatVectors v, int lanes) {}

    /** Shapes and attributes of one convolution, flattened for the emitters. */
    private static final class Geometry {
        final Conv op;
        final int spatialRank;
        final int batch;
        final int channels;
        final int m;
        final int group;
        final int cg;
        final int mg;
        final int[] in;
        final int[] out;
        final int[] kernel;
        final int taps;
        final ElementTail tail;
        final Node node;

        Geometry(Conv op, Node node, ElementTail tail) {
            this.op = op;
            this.tail = tail;
            this.node = node;
            spatialRank = op.spatialRank();
            int[] x = node.input(0).type().shape().dims();
            int[] y = node.output().type().shape().dims();
            int[] k = node.input(1).type().shape().dims();
            batch = x[0];
            channels = x[1];
            m = y[1];
            group = op.group();
            cg = channels / group;
            mg = m / group;
            in = Arrays.copyOfRange(x, 2, x.length);
            out = Arrays.copyOfRange(y, 2, y.length);
            kernel = Arrays.copyOfRange(k, 2, k.length);
            taps = Shape.of(kernel).size();
        }

        int pad(int axis) {
            return op.pads().get(axis);
        }

        int padEnd(int axis) {
            return op.pads().get(axis + spatialRank);
        }

        boolean padded() {
            return op.pads().stream().anyMatch(p -> p != 0);
        }

        /** 2-D view (a 1-D convolution is one row): extent along axis 0 (height) or 1 (width). */
        int in2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 1 : in[0]) : in[axis];
        }

        int out2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 1 : out[0]) : out[axis];
        }

        int kernel2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 1 : kernel[0]) : kernel[axis];
        }

        int pad2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 0 : pad(0)) : pad(axis);
        }

        int padEnd2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 0 : padEnd(0)) : padEnd(axis);
        }

        int dilation2(int axis) {
            return spatialRank == 1 ? (axis == 0 ? 1 : op.dilations().get(0)) : op.dilations().get(axis);
        }

        /** The input extents with the padding on both sides (covering every tap's read). */
        int[] paddedExtents() {
            int[] e = new int[spatialRank];
            for (int i = 0; i < spatialRank; i++) {
                e[i] = in[i] + pad(i) + padEnd(i);
            }
            return e;
        }

        int paddedWidth() {
            return in2(1) + pad2(1) + padEnd2(1);
        }

        int paddedHeight() {
            return in2(0) + pad2(0) + padEnd2(0);
        }

        /** Length of the flattened output grid the spatial schedule computes (rows of padded width). */
        int paddedPlane() {
            return (out2(0) - 1) * paddedWidth() + out2(1);
        }
    }

    private static void im2col(Geometry g, Node node, StepEnv env, CodeWriter w, boolean constantWeight, Optional<OnLanes> onLanes) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        int plane = Shape.of(g.out).size();
        int inPlane = Shape.of(g.in).size();
        int terms = g.cg * g.taps;
        String cols = env.scratchRows(0, terms, plane);
        // Output channels in blocks summed in registers where the dialect has a product helper, else in
        // pairs where it takes two accumulator rows: each gathered row loaded once for all of them.
        // The product reads each block's weights interleaved (see Dialect#product), a layout only constant
        // weights can be given.
        int product = constantWeight ? d.productRows(g.mg) : 0;
        int rows = product > 0 ? product : g.mg % 2 == 0 ? d.multiplyAccumulateRows() : 1;
        boolean plain = g.taps == 1 && !g.padded() && g.op.strides().stream().allMatch(s -> s == 1);
        List<AccumulatorRow> accs = onLanes.isPresent() ? List.of() : Accumulation.declare(w, env, 1, rows, plane);
        int[] padded = g.paddedExtents();
        String image = null;
        if (g.padded()) {
            // A zero-bordered copy of each input plane, so that gathering reads without bounds checks;
            // the border stays zero, only the interior is written below.
            int size = Shape.of(padded).size();
            image = env.scratchRows(2, 1, size);
            w.line(d.rowDecl("image", image, "0", size, true));
            w.loop("i", 0, size).line("image[i] = 0.0f;").close();
        }
        w.loop("n", 0, g.batch);
        w.loop("gi", 0, g.group);
        w.loop("c", 0, g.cg);
        String xb = Index.plus(String.valueOf(env.offset(x)), "(n * " + g.channels + " + gi * " + g.cg + " + c) * " + inPlane);
        if (plain) {
            // 1x1, stride 1, no padding: the rows are the input planes.
            w.line(d.copy(env.array(x), xb, d.rowRef(cols, "c", plane), "0", plane));
        } else {
            w.line("int xb = " + xb + ";");
            if (image != null) {
                copyInterior(g, env, w, padded);
            }
            gather(g, env, w, cols, image != null ? "image" : env.array(x), image != null ? padded : g.in);
        }
        w.close(); // c
        w.open("for (int mm = 0; mm < " + g.mg + "; mm += " + rows + ")");
        // Terms: the rows in (input channel, tap) order, the order of the weight's own layout.
        if (product > 0) {
            String blocks = env.constantRows(interleaved(env.constant(node.input(1)).orElseThrow(), product, terms), product * terms);
            String weights = d.rowRef(blocks, "(gi * " + g.mg + " + mm) / " + product, product * terms);
            if (onLanes.isPresent()) {
                rowsOnLanes(g, node, env, w, onLanes.get(), product, terms, weights, d.rowRef(cols, "0", plane));
            } else {
                d.product(w, accs.get(0).array(), product, plane, terms, weights, d.rowRef(cols, "0", plane));
            }
        } else {
            accumulate(g, node, env, w, cols, rows, accs, terms, plane);
        }
        for (int k = 0; k < accs.size(); k++) {
            w.block();
            w.line("int m = gi * " + g.mg + " + mm + " + k + ";");
            storePlane(g, node, env, w, accs.get(k), plane, plane, plane);
            w.close();
        }
        w.close(); // mm
        w.close(); // gi
        w.close(); // n
    }

    /**
     * Output rows mm.. of group gi ({@code rows} of them), block by block of columns: summed into
     * vectors from the gathered rows {@code x}, given the bias and the tail, stored (see {@link #emitOnLanes}).
     */
    private static void rowsOnLanes(Geometry g, Node node, StepEnv env, CodeWriter w, OnLanes o, int rows, int terms,
                                    String weights, String x) {
        int plane = Shape.of(g.out).size();
        int last = plane - o.lanes();
        w.open("for (int j = 0; j < " + plane + "; j += " + o.lanes() + ")");
        if (plane % o.lanes() != 0) {
            w.line("if (j > " + last + ") j = " + last + ";");
        }
        w.line(o.v().type() + " a[" + rows + "];");
        w.line(o.block() + "(a, " + plane + ", " + terms + ", " + weights + ", " + x + " + j);");
        for (int k = 0; k < rows; k++) {
            w.block();
            w.line("int m = gi * " + g.mg + " + mm + " + k + ";");
            w.line("int yb = (n * " + g.m + " + m) * " + plane + ";");
            String sum = "a[" + k + "]";
            // the bias added last, as in storePlane
            w.line(o.v().type() + " y = " + (node.inputs().size() > 2 ? o.v().add(sum, o.v().dup(env.at(node.input(2), "m"))) : sum) + ";");
            o.tail().store(w, "y", new LaneTail.Lanes(false, "m", "yb + j", 1));
            w.close();
        }
        w.close();
    }

    /** Output rows mm.. of group gi into the accumulator rows {@code accs}, in passes of terms over them. */
    private static void accumulate(Geometry g, Node node, StepEnv env, CodeWriter w, String cols, int rows,
                                   List<AccumulatorRow> accs, int terms, int plane) {
        Dialect d = env.dialect();
        for (AccumulatorRow acc : accs) {
            w.loop("j", 0, plane).line(acc.at("j") + " = 0.0f;").close();
        }
        Accumulation.loop(w, d, "t", "0", String.valueOf(terms), accs, String.valueOf(plane),
                (body, t, u) -> {
                    for (int k = 0; k < rows; k++) {
                        body.line("float w" + u + "_" + k + " = " + env.at(node.input(1), "(gi * " + g.mg + " + mm + " + k + ") * "
                                + terms + " + " + t) + ";");
                    }
                    body.line(d.rowDecl("x" + u, cols, t, plane, false));
                },
                u -> new ScaledRow(rows == 1 ? List.of("w" + u + "_0") : List.of("w" + u + "_0", "w" + u + "_1"), "x" + u, 0));
    }

    /** Copies input channel {@code c} (at {@code xb}) into the interior of the zero-bordered {@code image}. */
    private static void copyInterior(Geometry g, StepEnv env, CodeWriter w, int[] padded) {
        Dialect d = env.dialect();
        int r = g.spatialRank;
        int[] inStrides = LoopNest.rowMajor(g.in);
        int[] imageStrides = LoopNest.rowMajor(padded);
        StringBuilder src = new StringBuilder("xb");
        StringBuilder dst = new StringBuilder(String.valueOf(g.pad(r - 1)));
        for (int i = 0; i < r - 1; i++) {
            w.loop("q" + i, 0, g.in[i]);
            src.append(" + q").append(i).append(" * ").append(inStrides[i]);
            dst.append(" + (q").append(i).append(" + ").append(g.pad(i)).append(") * ").append(imageStrides[i]);
        }
        w.line(d.copy(env.array(g.node.input(0)), src.toString(), "image", dst.toString(), g.in[r - 1]));
        for (int i = 0; i < r - 1; i++) {
            w.close();
        }
    }

    /**
     * Fills the rows {@code c * taps + t} of {@code cols} with what each tap t reads for every output
     * position: from the input channel at {@code xb} of {@code xs} (extents {@code extents}), where
     * padding reads 0; or, from a zero-bordered image of it (extents covering every read), without
     * bounds checks. Where the stride along the first axis is a multiple m of its dilation, tap k0
     * reads what tap k0 - m read one output step further on: its row is that row shifted (a copy),
     * and only its last output step is gathered (where that copies at least {@link #SHORT} values:
     * a shorter copy costs more than gathering it, on ARMv8 at least).
     */
    private static void gather(Geometry g, StepEnv env, CodeWriter w, String cols, String xs, int[] extents) {
        int stride = g.op.strides().get(0);
        int dilation = g.op.dilations().get(0);
        int reach = stride % dilation == 0 ? stride / dilation : g.kernel[0];
        int copied = Shape.of(g.out).size() - LoopNest.rowMajor(g.out)[0];
        if (reach >= g.kernel[0] || copied < SHORT) {
            gather(g, env, w, cols, xs, extents, 0, g.kernel[0], 0);
            return;
        }
        gather(g, env, w, cols, xs, extents, 0, reach, 0);
        gather(g, env, w, cols, xs, extents, reach, g.kernel[0], reach);
    }

    /**
     * Taps with k0 in [from, to): gathered in full, or, where {@code reach} > 0, copied from tap
     * k0 - reach shifted by one step along the first output axis, with only the last step gathered.
     */
    private static void gather(Geometry g, StepEnv env, CodeWriter w, String cols, String xs, int[] extents, int from, int to,
                               int reach) {
        Dialect d = env.dialect();
        boolean bordered = !xs.equals(env.array(g.node.input(0)));
        int plane = Shape.of(g.out).size();
        int r = g.spatialRank;
        int[] inStrides = LoopNest.rowMajor(extents);
        int[] outStrides = LoopNest.rowMajor(g.out);
        int[] tapStrides = LoopNest.rowMajor(g.kernel);
        StringBuilder tap = new StringBuilder("0");
        for (int i = 0; i < r; i++) {
            w.loop("k" + i, i == 0 ? from : 0, i == 0 ? to : g.kernel[i]);
            tap.append(" + ").append(Index.times("k" + i, tapStrides[i]));
        }
        String row = "c * " + g.taps + " + " + tap;
        w.line(d.rowDecl("col", cols, row, plane, true));
        if (reach > 0) {
            int step = outStrides[0];
            w.line(d.copy(d.rowRef(cols, row + " - " + reach * tapStrides[0], plane), String.valueOf(step), "col", "0", plane - step));
        }
        StringBuilder src = new StringBuilder(bordered ? "0" : "xb");
        StringBuilder dst = new StringBuilder("0");
        StringBuilder inside = new StringBuilder();
        for (int i = 0; i < r; i++) {
            w.loop("o" + i, i == 0 && reach > 0 ? g.out[0] - 1 : 0, g.out[i]);
            String q = "q" + i;
            w.line("int " + q + " = " + Index.times("o" + i, g.op.strides().get(i)) + (bordered ? "" : " - " + g.pad(i)) + " + "
                    + Index.times("k" + i, g.op.dilations().get(i)) + ";");
            src.append(" + ").append(Index.times(q, inStrides[i]));
            dst.append(" + ").append(Index.times("o" + i, outStrides[i]));
            inside.append(inside.length() == 0 ? "" : " && ").append(q).append(" >= 0 && ").append(q).append(" < ").append(g.in[i]);
        }
        w.line("col[" + dst + "] = " + (bordered ? xs + "[" + src + "]" : inside + " ? " + xs + "[" + src + "] : 0.0f") + ";");
        for (int i = 0; i < 2 * r; i++) {
            w.close();
        }
    }

    private static void spatial(Geometry g, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        int hp = g.paddedHeight();
        int wp = g.paddedWidth();
        int grid = g.paddedPlane();
        int inPlane = Shape.of(g.in).size();
        String padTable = env.scratchRows(0, 1, hp * wp);
        String accTable = env.scratchRows(1, g.m, grid);
        w.line(d.rowDecl("pad", padTable, "0", hp * wp, true));
        int kw = g.kernel2(1);
        int[] shifts = new int[g.taps];
        for (int t = 0; t < g.taps; t++) {
            shifts[t] = (t / kw) * g.dilation2(0) * wp + (t % kw) * g.dilation2(1);
        }
        // Copies of the padded plane shifted by each residue of the taps' shifts modulo the dialect's
        // aligned lanes, so that every tap reads at the accumulator's index plus a multiple of them.
        int lanes = d.alignedReadLanes();
        int[] residues = Arrays.stream(shifts).map(s -> s % lanes).filter(r -> r != 0).distinct().sorted().toArray();
        String shiftedTable = residues.length == 0 ? null : env.scratchRows(2, residues.length, hp * wp);
        for (int i = 0; i < residues.length; i++) {
            w.line(d.rowDecl("pad" + residues[i], shiftedTable, String.valueOf(i), hp * wp, true));
        }
        // Borders stay zero: only the interior is written below.
        w.loop("i", 0, hp * wp).line("pad[i] = 0.0f;").close();
        w.loop("n", 0, g.batch);
        w.loop("m", 0, g.m).line(d.rowDecl("acc", accTable, "m", grid, true)).loop("j", 0, grid).line("acc[j] = 0.0f;").close().close();
        w.loop("c", 0, g.channels);
        int width = g.in2(1);
        w.loop("r", 0, g.in2(0)).line(d.copy(env.array(x), Index.plus(String.valueOf(env.offset(x)),
                "(n * " + g.channels + " + c) * " + inPlane + " + r * " + width), "pad",
                Index.plus(String.valueOf(g.pad2(0) * wp + g.pad2(1)), "r * " + wp), width)).close();
        for (int r : residues) {
            w.line(d.copy("pad", String.valueOf(r), "pad" + r, "0", hp * wp - r));
        }
        w.loop("mm", 0, g.mg);
        w.line("int m = c / " + g.cg + " * " + g.mg + " + mm;");
        w.line(d.rowDecl("acc", accTable, "m", grid, true));
        w.line("int wb = (m * " + g.cg + " + c % " + g.cg + ") * " + g.taps + ";");
        // Taps unrolled: each reads the padded plane at a constant shift.
        List<String[]> setups = new ArrayList<>();
        List<ScaledRow> products = new ArrayList<>();
        for (int t = 0; t < g.taps; t++) {
            int u = t % d.multiplyAccumulateTerms();
            int residue = shifts[t] % lanes;
            setups.add(new String[] {"float w" + u + " = " + env.at(node.input(1), "wb + " + t) + ";"});
            products.add(new ScaledRow("w" + u, residue == 0 ? "pad" : "pad" + residue, shifts[t] - residue));
        }
        Accumulation.unrolled(w, d, "acc", String.valueOf(grid), setups, products);
        w.close(); // mm
        w.close(); // c
        w.loop("m", 0, g.m);
        w.line(d.rowDecl("acc", accTable, "m", grid, true));
        storePlane(g, node, env, w, new AccumulatorRow("acc", 0), grid, wp, g.out2(1));
        w.close();
        w.close(); // n
    }

    /**
     * Writes output plane {@code m} (of batch {@code n}) from {@code acc} ({@code accLength} values),
     * whose rows are {@code accRow} apart and hold {@code width} valid values each, adding the bias.
     */
    private static void storePlane(Geometry g, Node node, StepEnv env, CodeWriter w, AccumulatorRow acc, int accLength,
                                   int accRow, int width) {
        String bias = node.inputs().size() > 2 ? " + bv" : "";
        if (!bias.isEmpty()) {
            w.line("float bv = " + env.at(node.input(2), "m") + ";");
        }
        int rows = Shape.of(g.out).size() / width;
        w.line("int yb = (n * " + g.m + " + m) * " + rows * width + ";");
        g.tail.hoistChannel(w, "m");
        Dialect d = env.dialect();
        if (d.alignedReadLanes() > 1 && !g.tail.readsElements()) {
            // The output's index carries the step's offset in its buffer, which the accumulator's lacks:
            // a loop of both is misaligned for C2 (see Dialect#alignedReadLanes). The tail in place, then
            // copies, vectorize (what the tail computes beyond each row's width is dropped).
            w.loop("j", 0, accLength);
            g.tail.assign(w, acc.at("j") + bias, acc.at("j"), "m");
            w.close();
            Value y = g.tail.output();
            String yb = Index.plus(String.valueOf(env.offset(y)), "yb");
            if (accRow == width) {
                w.line(d.copy(acc.array(), acc.start(), env.array(y), yb, rows * width));
            } else {
                w.loop("oy", 0, rows).line(d.copy(acc.array(), Index.plus("oy * " + accRow, acc.start()), env.array(y),
                        Index.plus(yb, "oy * " + width), width)).close();
            }
            return;
        }
        w.loop("oy", 0, rows).loop("ox", 0, width);
        g.tail.store(w, acc.at("oy * " + accRow + " + ox") + bias, "yb + oy * " + width + " + ox", "m");
        w.close().close();
    }

    private static void channels(Geometry g, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        int r = g.spatialRank;
        int last = r - 1;
        // Terms: the taps along the last kernel axis (the channel and other axes loop outside), or
        // the input channels themselves for 1x1 kernels.
        boolean overChannels = g.taps == 1;
        // 1x1 without padding: neighbouring positions along the last axis in pairs (see Dialect#multiplyAccumulateRows), each weight row
        // loaded once for both.
        int pair = overChannels && !g.padded() && g.out[last] % 2 == 0 ? d.multiplyAccumulateRows() : 1;
        String wt = env.constantRows(transposed(env.constant(node.input(1)).orElseThrow(), g), g.mg);
        List<AccumulatorRow> accs = Accumulation.declare(w, env, 0, pair, g.mg);
        int inPlane = Shape.of(g.in).size();
        int outPlane = Shape.of(g.out).size();
        int[] inStrides = LoopNest.rowMajor(g.in);
        int[] outStrides = LoopNest.rowMajor(g.out);
        int[] tapStrides = LoopNest.rowMajor(g.kernel);

        w.loop("n", 0, g.batch);
        StringBuilder outPos = new StringBuilder("0");
        for (int i = 0; i < r; i++) {
            w.open("for (int o" + i + " = 0; o" + i + " < " + g.out[i] + "; o" + i + " += " + (i == last ? pair : 1) + ")");
            outPos.append(" + ").append(Index.times("o" + i, outStrides[i]));
            TapBounds.emit(w, d, i, g.in[i], g.out[i], g.kernel[i], g.op.strides().get(i), g.op.dilations().get(i), g.pad(i));
        }
        w.loop("gi", 0, g.group);
        for (AccumulatorRow acc : accs) {
            w.loop("j", 0, g.mg).line(acc.at("j") + " = 0.0f;").close();
        }
        if (!overChannels) {
            w.loop("c", 0, g.cg);
        }
        for (int i = 0; i < r; i++) {
            if (i < last || overChannels) {
                w.open("for (int k" + i + " = klo" + i + "; k" + i + " < khi" + i + "; k" + i + "++)");
            }
        }
        String termVar = overChannels ? "c" : "k" + last;
        int nextPosition = g.op.strides().get(last) * inStrides[last];
        Accumulation.loop(w, d, termVar, overChannels ? "0" : "klo" + last, overChannels ? String.valueOf(g.cg) : "khi" + last,
                accs, String.valueOf(g.mg),
                (body, term, u) -> {
                    String channel = overChannels ? "(" + term + ")" : "c";
                    StringBuilder pos = new StringBuilder();
                    StringBuilder tap = new StringBuilder("0");
                    for (int i = 0; i < r; i++) {
                        String k = i == last && !overChannels ? "(" + term + ")" : "k" + i;
                        pos.append(" + (").append(Index.times("o" + i, g.op.strides().get(i))).append(" - ").append(g.pad(i))
                                .append(" + ").append(Index.times(k, g.op.dilations().get(i))).append(")")
                                .append(inStrides[i] == 1 ? "" : " * " + inStrides[i]);
                        tap.append(" + ").append(Index.times(k, tapStrides[i]));
                    }
                    for (int k = 0; k < pair; k++) {
                        body.line("float xv" + u + "_" + k + " = " + env.array(x) + "[" + Index.plus(String.valueOf(env.offset(x)),
                                "(n * " + g.channels + " + gi * " + g.cg + " + " + channel + ") * " + inPlane) + pos
                                + (k == 0 ? "" : " + " + k * nextPosition) + "];");
                    }
                    body.line(d.rowDecl("w" + u, wt, "(gi * " + g.cg + " + " + channel + ") * " + g.taps + " + " + tap, g.mg, false));
                },
                u -> new ScaledRow(pair == 1 ? List.of("xv" + u + "_0") : List.of("xv" + u + "_0", "xv" + u + "_1"), "w" + u, 0));
        for (int i = 0; i < r; i++) {
            if (i < last || overChannels) {
                w.close();
            }
        }
        if (!overChannels) {
            w.close(); // c
        }
        String bias = node.inputs().size() > 2 ? " + " + env.at(node.input(2), "gi * " + g.mg + " + j") : "";
        for (int k = 0; k < pair; k++) {
            w.loop("j", 0, g.mg);
            g.tail.store(w, accs.get(k).at("j") + bias, "(n * " + g.m + " + gi * " + g.mg + " + j) * " + outPlane + " + " + outPos
                    + (k == 0 ? "" : " + " + k), "gi * " + g.mg + " + j");
            w.close();
        }
        w.close(); // gi
        for (int i = 0; i < r; i++) {
            w.close();
        }
        w.close(); // n
    }

    /**
     * The weight rows (output channels, {@code terms} each) in blocks of {@code rows}, each block term by
     * term: {@code w[block][t][k] = weight[block * rows + k][t]}.
     */
    private static Tensor interleaved(Tensor weight, int rows, int terms) {
        float[] src = weight.toFloatArray();
        float[] dst = new float[src.length];
        for (int m = 0; m < src.length / terms; m++) {
            int block = m / rows * rows * terms;
            for (int t = 0; t < terms; t++) {
                dst[block + t * rows + m % rows] = src[m * terms + t];
            }
        }
        return Tensor.adoptFloats(Shape.of(src.length / (rows * terms), rows * terms), dst);
    }

    /** Weights [M, Cg, taps] as rows [group, Cg, taps] of Mg: contiguous over a group's output channels. */
    private static Tensor transposed(Tensor weight, Geometry g) {
        float[] src = weight.toFloatArray();
        float[] dst = new float[src.length];
        for (int gi = 0; gi < g.group; gi++) {
            for (int j = 0; j < g.mg; j++) {
                int m = gi * g.mg + j;
                for (int c = 0; c < g.cg; c++) {
                    for (int t = 0; t < g.taps; t++) {
                        dst[((gi * g.cg + c) * g.taps + t) * g.mg + j] = src[(m * g.cg + c) * g.taps + t];
                    }
                }
            }
        }
        return Tensor.adoptFloats(Shape.of(src.length / g.mg, g.mg), dst);
    }
}
