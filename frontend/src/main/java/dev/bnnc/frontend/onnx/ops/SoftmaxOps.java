package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Softmax;
import java.util.List;

/**
 * Softmax and LogSoftmax. From opset 13 they normalize over one axis (default -1). Before, they
 * flatten the input to 2-D at {@code axis} (default 1) and normalize each row; unless that axis is
 * the last, this imports as Reshape, Softmax over the last axis, Reshape back.
 */
final class SoftmaxOps {
    private SoftmaxOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Softmax", (n, ctx) -> softmax(n, ctx, false));
        b.add("LogSoftmax", (n, ctx) -> softmax(n, ctx, true));
    }

    private static void softmax(OnnxNode n, ImportContext ctx, boolean log) {
        Value x = ctx.input(n, 0);
        Shape shape = x.type().shape();
        int rank = shape.rank();
        boolean legacy = ctx.opset() < 13;
        int axis = Axes.normalize(n, n.intAttr("axis", legacy ? 1 : -1), rank);
        if (!legacy || axis == rank - 1) {
            ctx.emit(n, new Softmax(axis, log), x);
            return;
        }
        Value rows = ctx.emitStep(n, "rows", new Reshape(List.of(shape.sizeOf(0, axis), shape.sizeOf(axis, rank))), x);
        Value normalized = ctx.emitStep(n, "normalized", new Softmax(1, log), rows);
        ctx.emit(n, new Reshape(Axes.asList(shape.dims())), normalized);
    }
}
