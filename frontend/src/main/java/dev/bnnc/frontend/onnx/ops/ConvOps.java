package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Conv in 1, 2 or 3 spatial dimensions, grouped and depthwise included. */
final class ConvOps {
    private ConvOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Conv", ConvOps::conv);
    }

    private static void conv(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Value w = ctx.input(n, 1);
        TensorType wt = w.type();
        if (wt.rank() < 3 || x.type().rank() != wt.rank()) {
            throw n.error("input " + x.type() + " and weight " + wt + " must both have rank 3, 4 or 5");
        }
        int[] wd = wt.shape().dims();
        List<Integer> kernel = new ArrayList<>();
        for (int i = 2; i < wd.length; i++) {
            kernel.add(wd[i]);
        }
        // kernel_shape is optional and redundant with the weight; when given it must agree.
        n.intsAttr("kernel_shape").ifPresent(k -> {
            if (!Axes.toInts(n, k, "kernel_shape").equals(kernel)) {
                throw n.error("kernel_shape " + k + " does not match the weight " + wt);
            }
        });
        int[] spatial = Arrays.copyOfRange(x.type().shape().dims(), 2, wd.length);
        Window win = Window.of(n, spatial, kernel);
        // Inputs x, w and the optional bias.
        ctx.emitAll(n, new Conv(win.strides(), win.pads(), win.dilations(), (int) n.intAttr("group", 1)), ctx.inputs(n));
    }
}
