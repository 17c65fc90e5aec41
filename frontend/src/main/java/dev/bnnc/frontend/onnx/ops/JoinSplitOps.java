package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Concat, and Split with its three ways of giving the part sizes. */
final class JoinSplitOps {
    private JoinSplitOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Concat", JoinSplitOps::concat);
        b.add("Split", JoinSplitOps::split);
    }

    private static void concat(OnnxNode n, ImportContext ctx) {
        List<Value> in = ctx.inputs(n);
        if (in.isEmpty()) {
            throw n.error("needs at least one input");
        }
        int axis = Axes.normalize(n, n.requiredIntAttr("axis"), in.get(0).type().rank());
        ctx.emitAll(n, new Concat(axis), in);
    }

    /**
     * Sizes come from the {@code split} attribute (before opset 13) or input (from 13); without
     * them the axis is cut into one equal part per output, or from opset 18 into
     * {@code num_outputs} parts of {@code ceil(dim / num_outputs)}, the last one smaller.
     */
    private static void split(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        int axis = Axes.normalize(n, n.intAttr("axis", 0), x.type().rank());
        int dim = x.type().dim(axis);
        Optional<List<Long>> given = ctx.opset() >= 13
                ? ctx.optionalConstantInput(n, 1, "split").map(Axes::longs)
                : n.intsAttr("split");
        List<Integer> sizes;
        if (given.isPresent()) {
            sizes = Axes.toInts(n, given.get(), "split");
        } else if (n.hasAttribute("num_outputs")) {
            int parts = (int) n.intAttr("num_outputs", 0);
            if (parts <= 0 || parts != n.outputCount()) {
                throw n.error("num_outputs " + parts + " does not match the " + n.outputCount() + " outputs");
            }
            int chunk = (dim + parts - 1) / parts;
            sizes = new ArrayList<>(Axes.repeat(chunk, parts - 1));
            sizes.add(dim - chunk * (parts - 1));
        } else {
            int parts = n.outputCount();
            if (dim % parts != 0) {
                throw n.error("axis " + axis + " of " + x.type() + " does not split into " + parts + " equal parts");
            }
            sizes = Axes.repeat(dim / parts, parts);
        }
        if (sizes.size() != n.outputCount()) {
            throw n.error("split " + sizes + " does not match the " + n.outputCount() + " outputs");
        }
        ctx.emitAll(n, new Split(axis, sizes), List.of(x));
    }
}
