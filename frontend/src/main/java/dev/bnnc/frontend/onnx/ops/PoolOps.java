package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import java.util.Arrays;
import java.util.List;

/**
 * MaxPool and AveragePool (windowed), and the global pools, which are reductions over the spatial
 * axes. MaxPool's Indices output is not supported.
 */
final class PoolOps {
    private PoolOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("MaxPool", (n, ctx) -> pool(n, ctx, PoolKind.MAX));
        b.add("AveragePool", (n, ctx) -> pool(n, ctx, PoolKind.AVERAGE));
        b.add("GlobalMaxPool", (n, ctx) -> global(n, ctx, ReduceFn.MAX));
        b.add("GlobalAveragePool", (n, ctx) -> global(n, ctx, ReduceFn.MEAN));
    }

    private static void pool(OnnxNode n, ImportContext ctx, PoolKind kind) {
        Value x = ctx.input(n, 0);
        List<Integer> kernel = Axes.toInts(n, n.intsAttr("kernel_shape")
                .orElseThrow(() -> n.error("attribute 'kernel_shape' is required")), "kernel_shape");
        int rank = x.type().rank();
        if (rank != kernel.size() + 2) {
            throw n.error("kernel_shape " + kernel + " does not fit input " + x.type());
        }
        Window win = Window.of(n, Arrays.copyOfRange(x.type().shape().dims(), 2, rank), kernel);
        boolean ceil = n.intAttr("ceil_mode", 0) != 0;
        boolean countIncludePad = n.intAttr("count_include_pad", 0) != 0;
        ctx.emit(n, new Pool(kind, kernel, win.strides(), win.pads(), win.dilations(), ceil, countIncludePad), x);
    }

    private static void global(OnnxNode n, ImportContext ctx, ReduceFn fn) {
        Value x = ctx.input(n, 0);
        int rank = x.type().rank();
        if (rank < 3) {
            throw n.error("input " + x.type() + " has no spatial axes");
        }
        ctx.emit(n, new Reduce(fn, Axes.range(2, rank), true), x);
    }
}
