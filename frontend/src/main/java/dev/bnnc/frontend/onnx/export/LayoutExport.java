package dev.bnnc.frontend.onnx.export;

import dev.bnnc.frontend.onnx.OnnxModelBuilder.NodeBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import java.util.Arrays;

/** Data movement: the IR's resolved attributes become ONNX's constant inputs. */
final class LayoutExport {
    private LayoutExport() {}

    static void reshape(Reshape op, Node n, ExportContext ctx) {
        long[] shape = ExportContext.toLongs(op.shape());
        allowZero(ctx.emit(n, "Reshape", ctx.name(n.input(0)), ctx.longs(n, "shape", shape)), shape);
    }

    /** A Reshape on the way to {@code n}'s outputs, for the mappings that need one. */
    static String reshapeStep(Node n, String step, String x, long[] shape, ExportContext ctx) {
        return ctx.step(n, step, "Reshape", node -> allowZero(node, shape), x, ctx.longs(n, step + "_shape", shape));
    }

    /** A 0 in a static target is an empty axis; ONNX would copy the input's dimension unless told. */
    private static void allowZero(NodeBuilder reshape, long[] shape) {
        if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
            reshape.intAttr("allowzero", 1);
        }
    }

    static void transpose(Transpose op, Node n, ExportContext ctx) {
        ctx.emit(n, "Transpose", ctx.name(n.input(0))).intsAttr("perm", ExportContext.toLongs(op.perm()));
    }

    static void concat(Concat op, Node n, ExportContext ctx) {
        ctx.emit(n, "Concat", ctx.names(n.inputs())).intAttr("axis", op.axis());
    }

    static void split(Split op, Node n, ExportContext ctx) {
        ctx.emit(n, "Split", ctx.name(n.input(0)), ctx.longs(n, "split", op.sizes())).intAttr("axis", op.axis());
    }

    /**
     * Only the axes that are not taken whole. The end is one step past the last index taken; going
     * backwards to index 0 that is -1, which ONNX would read as the last index, so it is written as
     * INT64_MIN (clamped to "before the first").
     */
    static void slice(Slice op, Node n, ExportContext ctx) {
        int[] dims = n.input(0).type().shape().dims();
        int rank = dims.length;
        long[] starts = new long[rank];
        long[] ends = new long[rank];
        long[] axes = new long[rank];
        long[] steps = new long[rank];
        int k = 0;
        for (int a = 0; a < rank; a++) {
            long start = op.starts().get(a);
            long step = op.steps().get(a);
            long size = op.sizes().get(a);
            if (start == 0 && step == 1 && size == dims[a]) {
                continue;
            }
            long end = start + (size - 1) * step + Long.signum(step);
            starts[k] = size == 0 ? 0 : start;
            ends[k] = size == 0 ? 0 : end < 0 ? Long.MIN_VALUE : end;
            steps[k] = size == 0 ? 1 : step;
            axes[k] = a;
            k++;
        }
        String x = ctx.name(n.input(0));
        if (k == 0) {
            ctx.emit(n, "Identity", x);
            return;
        }
        ctx.emit(n, "Slice", x, ctx.longs(n, "starts", Arrays.copyOf(starts, k)),
                ctx.longs(n, "ends", Arrays.copyOf(ends, k)), ctx.longs(n, "axes", Arrays.copyOf(axes, k)),
                ctx.longs(n, "steps", Arrays.copyOf(steps, k)));
    }

    static void gather(Gather op, Node n, ExportContext ctx) {
        ctx.emit(n, "Gather", ctx.name(n.input(0)), ctx.constant(n, "indices", op.indices())).intAttr("axis", op.axis());
    }

    static void tile(Tile op, Node n, ExportContext ctx) {
        ctx.emit(n, "Tile", ctx.name(n.input(0)), ctx.longs(n, "repeats", op.repeats()));
    }

    static void expand(Expand op, Node n, ExportContext ctx) {
        ctx.emit(n, "Expand", ctx.name(n.input(0)), ctx.longs(n, "shape", op.shape()));
    }

    /** Pads begin-then-end, as the IR's; the fill value has the input's element type. */
    static void pad(Pad op, Node n, ExportContext ctx) {
        String x = ctx.name(n.input(0));
        String pads = ctx.longs(n, "pads", op.pads());
        switch (op.mode()) {
            case CONSTANT -> ctx.emit(n, "Pad", x, pads, ctx.scalar(n, "value", n.input(0).type().dtype(), op.value()))
                    .stringAttr("mode", "constant");
            case REFLECT -> ctx.emit(n, "Pad", x, pads).stringAttr("mode", "reflect");
            case EDGE -> ctx.emit(n, "Pad", x, pads).stringAttr("mode", "edge");
        }
    }
}
