package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import java.util.List;
import java.util.Optional;

/**
 * The Reduce* family. The axes are an attribute until they became an input: opset 13 for
 * ReduceSum, 18 for the others. No axes means all of them, unless {@code noop_with_empty_axes}.
 */
final class ReduceOps {
    private ReduceOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("ReduceSum", (n, ctx) -> reduce(n, ctx, ReduceFn.SUM, 13));
        b.add("ReduceMean", (n, ctx) -> reduce(n, ctx, ReduceFn.MEAN, 18));
        b.add("ReduceMax", (n, ctx) -> reduce(n, ctx, ReduceFn.MAX, 18));
        b.add("ReduceMin", (n, ctx) -> reduce(n, ctx, ReduceFn.MIN, 18));
        b.add("ReduceProd", (n, ctx) -> reduce(n, ctx, ReduceFn.PROD, 18));
        b.add("ReduceL1", (n, ctx) -> reduce(n, ctx, ReduceFn.L1, 18));
        b.add("ReduceL2", (n, ctx) -> reduce(n, ctx, ReduceFn.L2, 18));
        b.add("ReduceSumSquare", (n, ctx) -> reduce(n, ctx, ReduceFn.SUM_SQUARE, 18));
        b.add("ReduceLogSumExp", (n, ctx) -> reduce(n, ctx, ReduceFn.LOG_SUM_EXP, 18));
    }

    private static void reduce(OnnxNode n, ImportContext ctx, ReduceFn fn, int axesInputSince) {
        Value x = ctx.input(n, 0);
        int rank = x.type().rank();
        boolean axesInput = ctx.opset() >= axesInputSince;
        Optional<List<Long>> axes = axesInput
                ? ctx.optionalConstantInput(n, 1, "axes").map(Axes::longs)
                : n.intsAttr("axes");
        boolean keepDims = n.intAttr("keepdims", 1) != 0;
        if (axes.isEmpty() || axes.get().isEmpty()) {
            // noop_with_empty_axes came with the axes input.
            if (axesInput && n.intAttr("noop_with_empty_axes", 0) != 0) {
                ctx.emit(n, new Identity(), x);
                return;
            }
            ctx.emit(n, new Reduce(fn, Axes.range(0, rank), keepDims), x);
            return;
        }
        ctx.emit(n, new Reduce(fn, Axes.normalizeSorted(n, axes.get(), rank), keepDims), x);
    }
}
