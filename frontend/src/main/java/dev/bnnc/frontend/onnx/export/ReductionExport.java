package dev.bnnc.frontend.onnx.export;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Softmax;
import java.util.List;
import java.util.stream.IntStream;

/** Ops that combine elements along axes or windows: Softmax, the pools and the Reduce family. */
final class ReductionExport {
    private ReductionExport() {}

    /** The opset-13 form: one axis. */
    static void softmax(Softmax op, Node n, ExportContext ctx) {
        ctx.emit(n, op.log() ? "LogSoftmax" : "Softmax", ctx.name(n.input(0))).intAttr("axis", op.axis());
    }

    static void pool(Pool op, Node n, ExportContext ctx) {
        var node = ctx.emit(n, op.kind() == PoolKind.MAX ? "MaxPool" : "AveragePool", ctx.name(n.input(0)))
                .intsAttr("kernel_shape", ExportContext.toLongs(op.kernel()))
                .intsAttr("strides", ExportContext.toLongs(op.strides()))
                .intsAttr("pads", ExportContext.toLongs(op.pads()))
                .intsAttr("dilations", ExportContext.toLongs(op.dilations()))
                .intAttr("ceil_mode", op.ceilMode() ? 1 : 0);
        if (op.kind() == PoolKind.AVERAGE) {
            node.intAttr("count_include_pad", op.countIncludePad() ? 1 : 0);
        }
    }

    /**
     * Axes as an input (opset 18). The IR's reduction over no axes folds each element alone (so L2
     * is |x|), which ONNX's empty axes do not say (all axes, or a no-op): it is written as a reduction
     * over a new leading axis of size 1.
     */
    static void reduce(Reduce op, Node n, ExportContext ctx) {
        String x = ctx.name(n.input(0));
        List<Integer> axes = op.axes();
        boolean keepDims = op.keepDims();
        if (axes.isEmpty()) {
            long[] shape = IntStream.concat(IntStream.of(1), IntStream.of(n.input(0).type().shape().dims()))
                    .asLongStream().toArray();
            x = LayoutExport.reshapeStep(n, "leading_axis", x, shape, ctx);
            axes = List.of(0);
            keepDims = false;
        }
        ctx.emit(n, onnxName(op.fn()), x, ctx.longs(n, "axes", axes)).intAttr("keepdims", keepDims ? 1 : 0);
    }

    private static String onnxName(ReduceFn fn) {
        return switch (fn) {
            case SUM -> "ReduceSum";
            case MEAN -> "ReduceMean";
            case MAX -> "ReduceMax";
            case MIN -> "ReduceMin";
            case PROD -> "ReduceProd";
            case SUM_SQUARE -> "ReduceSumSquare";
            case L1 -> "ReduceL1";
            case L2 -> "ReduceL2";
            case LOG_SUM_EXP -> "ReduceLogSumExp";
        };
    }
}
