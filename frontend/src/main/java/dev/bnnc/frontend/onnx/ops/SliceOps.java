package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Slice;
import java.util.ArrayList;
import java.util.List;

/** Slice and Gather, with their bounds and indices resolved into the IR's explicit form. */
final class SliceOps {
    private SliceOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Slice", SliceOps::slice);
        b.add("Gather", SliceOps::gather);
    }

    /** Bounds are attributes before opset 10 (no steps), inputs from then on. */
    private static void slice(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Shape in = x.type().shape();
        int rank = in.rank();
        List<Long> starts;
        List<Long> ends;
        List<Long> axes = null;
        List<Long> steps = null;
        if (ctx.opset() < 10) {
            starts = n.intsAttr("starts").orElseThrow(() -> n.error("attribute 'starts' is required"));
            ends = n.intsAttr("ends").orElseThrow(() -> n.error("attribute 'ends' is required"));
            axes = n.intsAttr("axes").orElse(null);
        } else {
            starts = Axes.longs(ctx.constantInput(n, 1, "starts"));
            ends = Axes.longs(ctx.constantInput(n, 2, "ends"));
            axes = ctx.optionalConstantInput(n, 3, "axes").map(Axes::longs).orElse(null);
            steps = ctx.optionalConstantInput(n, 4, "steps").map(Axes::longs).orElse(null);
        }
        int k = starts.size();
        if (ends.size() != k || (axes != null && axes.size() != k) || (steps != null && steps.size() != k)) {
            throw n.error("starts " + starts + ", ends " + ends + ", axes " + axes + " and steps " + steps
                    + " differ in length");
        }
        List<Integer> outStarts = new ArrayList<>(Axes.repeat(0, rank));
        List<Integer> outSteps = new ArrayList<>(Axes.repeat(1, rank));
        List<Integer> outSizes = Axes.asList(in.dims());
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < k; i++) {
            int a = Axes.normalize(n, axes == null ? i : axes.get(i), rank);
            if (seen[a]) {
                throw n.error("axis " + a + " is sliced twice");
            }
            seen[a] = true;
            long step = steps == null ? 1 : steps.get(i);
            if (step == 0) {
                throw n.error("step of axis " + a + " is 0");
            }
            long[] resolved = resolve(starts.get(i), ends.get(i), step, in.dim(a));
            outStarts.set(a, (int) resolved[0]);
            outSteps.set(a, (int) resolved[1]);
            outSizes.set(a, (int) resolved[2]);
        }
        ctx.emit(n, new Slice(outStarts, outSteps, outSizes), x);
    }

    /**
     * ONNX's rules for one axis: negative bounds count from the end, then bounds are clamped
     * ([0, dim] going forward, [-1, dim-1] going backward). Returns {start, step, size}, with a
     * start of 0 for an empty slice and a step of ±1 where at most one element is taken (so that
     * huge steps fit the IR's ints).
     */
    static long[] resolve(long start, long end, long step, int dim) {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        long size;
        if (step > 0) {
            s = clamp(s, 0, dim);
            e = clamp(e, 0, dim);
            size = e > s ? (e - s - 1) / step + 1 : 0;
        } else {
            s = clamp(s, 0, dim - 1);
            e = clamp(e, -1, dim - 1);
            size = s > e ? (s - e - 1) / -step + 1 : 0;
        }
        if (size == 0) {
            return new long[] {0, 1, 0};
        }
        return new long[] {s, size == 1 ? Long.signum(step) : step, size};
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Constant indices only; negative ones count from the end of the axis. */
    private static void gather(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        int axis = Axes.normalize(n, n.intAttr("axis", 0), x.type().rank());
        int dim = x.type().dim(axis);
        Tensor indices = ctx.constantInput(n, 1, "indices");
        if (indices.dtype() != DType.I64) {
            throw n.error("indices must be integers, got " + indices.type());
        }
        long[] idx = indices.toLongArray();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < -dim || idx[i] >= dim) {
                throw n.error("index " + idx[i] + " is out of range for axis " + axis + " of " + x.type());
            }
            if (idx[i] < 0) {
                idx[i] += dim;
            }
        }
        ctx.emit(n, new Gather(axis, Tensor.adoptLongs(indices.shape(), idx)), x);
    }
}
