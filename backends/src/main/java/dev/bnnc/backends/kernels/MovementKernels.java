package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import java.util.Arrays;

/** Ops that only move data: each is a strided copy or a sequence of block copies. */
final class MovementKernels {
    private MovementKernels() {}

    /** {@code y = x}, element for element. */
    static void copy(Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        w.line(env.dialect().copy(env.array(x), String.valueOf(env.offset(x)), env.array(y),
                String.valueOf(env.offset(y)), y.type().size()));
    }

    static void transpose(Transpose op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        int[] inStrides = LoopNest.rowMajor(x.type().shape().dims());
        int[] strides = new int[op.perm().size()];
        for (int i = 0; i < strides.length; i++) {
            strides[i] = inStrides[op.perm().get(i)];
        }
        stridedCopy(env, w, x, y, strides, env.offset(x));
    }

    static void slice(Slice op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        int[] inStrides = LoopNest.rowMajor(x.type().shape().dims());
        int[] strides = new int[inStrides.length];
        int base = env.offset(x);
        for (int i = 0; i < strides.length; i++) {
            strides[i] = inStrides[i] * op.steps().get(i);
            base += inStrides[i] * op.starts().get(i);
        }
        stridedCopy(env, w, x, y, strides, base);
    }

    /** Expand: a copy where the input's broadcast axes have stride 0. */
    static void expand(Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        stridedCopy(env, w, x, y, LoopNest.broadcastStrides(x.type().shape().dims(), y.type().shape().dims()), env.offset(x));
    }

    /** Tile: output axis a of extent r·d is walked as (repeat, index) pairs, the input ignoring the repeat. */
    static void tile(Tile op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        int[] in = x.type().shape().dims();
        int[] inStrides = LoopNest.rowMajor(in);
        int[] outStrides = LoopNest.rowMajor(y.type().shape().dims());
        int r = in.length;
        int[] dims = new int[2 * r];
        int[][] strides = new int[2][2 * r];
        for (int a = 0; a < r; a++) {
            dims[2 * a] = op.repeats().get(a);
            dims[2 * a + 1] = in[a];
            strides[0][2 * a] = 0;
            strides[0][2 * a + 1] = inStrides[a];
            strides[1][2 * a] = in[a] * outStrides[a];
            strides[1][2 * a + 1] = outStrides[a];
        }
        new LoopNest(dims, strides, new int[] {env.offset(x), env.offset(y)})
                .emit(w, "i", (body, idx) -> body.line(env.array(y) + "[" + idx[1] + "] = " + env.array(x) + "[" + idx[0] + "];"));
    }

    static void concat(Concat op, Node node, StepEnv env, CodeWriter w) {
        Value y = node.output();
        var shape = y.type().shape();
        int outer = shape.sizeOf(0, op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        int outRow = shape.dim(op.axis()) * inner;
        int at = 0;
        for (Value x : node.inputs()) {
            int block = x.type().dim(op.axis()) * inner;
            blockCopies(env, w, x, env.offset(x), block, y, env.offset(y) + at, outRow, outer, block);
            at += block;
        }
    }

    static void split(Split op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        var shape = x.type().shape();
        int outer = shape.sizeOf(0, op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        int inRow = shape.dim(op.axis()) * inner;
        int at = 0;
        for (Value y : node.outputs()) {
            int block = y.type().dim(op.axis()) * inner;
            blockCopies(env, w, x, env.offset(x) + at, inRow, y, env.offset(y), block, outer, block);
            at += block;
        }
    }

    /** Gather with compile-time indices: one block copy per index. */
    static void gather(Gather op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        var shape = x.type().shape();
        int outer = shape.sizeOf(0, op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        int inRow = shape.dim(op.axis()) * inner;
        int count = op.indices().size();
        for (int j = 0; j < count; j++) {
            int from = env.offset(x) + (int) op.indices().longAt(j) * inner;
            blockCopies(env, w, x, from, inRow, y, env.offset(y) + j * inner, count * inner, outer, inner);
        }
    }

    static void pad(Pad op, Node node, StepEnv env, CodeWriter w) {
        Value x = node.input(0);
        Value y = node.output();
        int[] in = x.type().shape().dims();
        int[] out = y.type().shape().dims();
        int r = in.length;
        if (op.mode() == PadMode.CONSTANT) {
            w.loop("i", 0, y.type().size()).line(env.at(y, "i") + " = " + env.dialect().floatLiteral(op.value()) + ";").close();
            // Copy the part of the input that survives cropping into the interior.
            int[] dims = new int[r];
            int xBase = env.offset(x);
            int yBase = env.offset(y);
            int[] inStrides = LoopNest.rowMajor(in);
            int[] outStrides = LoopNest.rowMajor(out);
            for (int a = 0; a < r; a++) {
                int begin = op.pads().get(a);
                int end = op.pads().get(a + r);
                int cropBegin = Math.max(0, -begin);
                dims[a] = Math.max(0, in[a] - cropBegin - Math.max(0, -end));
                xBase += cropBegin * inStrides[a];
                yBase += Math.max(0, begin) * outStrides[a];
            }
            if (Arrays.stream(dims).allMatch(v -> v > 0)) {
                new LoopNest(dims, new int[][] {inStrides, outStrides}, new int[] {xBase, yBase})
                        .emit(w, "i", (body, idx) -> body.line(env.array(y) + "[" + idx[1] + "] = " + env.array(x) + "[" + idx[0] + "];"));
            }
            return;
        }
        // Reflect and edge: map each output index to its source index, axis by axis.
        int[] inStrides = LoopNest.rowMajor(in);
        int[] outStrides = LoopNest.rowMajor(out);
        StringBuilder src = new StringBuilder(String.valueOf(env.offset(x)));
        StringBuilder dst = new StringBuilder(String.valueOf(env.offset(y)));
        for (int a = 0; a < r; a++) {
            w.loop("o" + a, 0, out[a]);
            w.line("int s" + a + " = o" + a + " - " + op.pads().get(a) + ";");
            if (op.mode() == PadMode.REFLECT) {
                w.line("if (s" + a + " < 0) s" + a + " = -s" + a + ";");
                w.line("if (s" + a + " >= " + in[a] + ") s" + a + " = " + (2 * (in[a] - 1)) + " - s" + a + ";");
            } else {
                w.line("if (s" + a + " < 0) s" + a + " = 0;");
                w.line("if (s" + a + " >= " + in[a] + ") s" + a + " = " + (in[a] - 1) + ";");
            }
            src.append(" + ").append(Index.times("s" + a, inStrides[a]));
            dst.append(" + ").append(Index.times("o" + a, outStrides[a]));
        }
        w.line(env.array(y) + "[" + dst + "] = " + env.array(x) + "[" + src + "];");
        for (int a = 0; a < r; a++) {
            w.close();
        }
    }

    private static void stridedCopy(StepEnv env, CodeWriter w, Value x, Value y, int[] xStrides, int xBase) {
        new LoopNest(y.type().shape().dims(), new int[][] {xStrides, LoopNest.rowMajor(y.type().shape().dims())},
                new int[] {xBase, env.offset(y)})
                .emit(w, "i", (body, idx) -> body.line(env.array(y) + "[" + idx[1] + "] = " + env.array(x) + "[" + idx[0] + "];"));
    }

    /** {@code rows} copies of {@code length} elements, source and destination advancing by their row strides. */
    private static void blockCopies(StepEnv env, CodeWriter w, Value x, int xBase, int xRow, Value y, int yBase, int yRow,
                                    int rows, int length) {
        if (length == 0) {
            return;
        }
        Dialect d = env.dialect();
        if (rows == 1) {
            w.line(d.copy(env.array(x), String.valueOf(xBase), env.array(y), String.valueOf(yBase), length));
            return;
        }
        w.loop("r", 0, rows);
        w.line(d.copy(env.array(x), Index.plus(String.valueOf(xBase), Index.times("r", xRow)), env.array(y),
                Index.plus(String.valueOf(yBase), Index.times("r", yRow)), length));
        w.close();
    }
}
