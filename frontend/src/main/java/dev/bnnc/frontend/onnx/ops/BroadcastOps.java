package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Tile;
import java.util.List;

/** Tile and Expand, with their repeats and target shape as constants. */
final class BroadcastOps {
    private BroadcastOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Tile", BroadcastOps::tile);
        b.add("Expand", BroadcastOps::expand);
    }

    private static void tile(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        List<Integer> repeats = Axes.toInts(n, Axes.longs(ctx.constantInput(n, 1, "repeats")), "repeats");
        if (repeats.size() != x.type().rank()) {
            throw n.error("repeats " + repeats + " must have one entry per axis of " + x.type());
        }
        ctx.emit(n, new Tile(repeats), x);
    }

    private static void expand(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        List<Integer> shape = Axes.toInts(n, Axes.longs(ctx.constantInput(n, 1, "shape")), "shape");
        ctx.emit(n, new Expand(shape), x);
    }
}
