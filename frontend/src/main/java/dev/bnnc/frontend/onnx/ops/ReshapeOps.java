package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Reshape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reshape, Flatten, Squeeze and Unsqueeze: all become an IR Reshape to the static target shape. */
final class ReshapeOps {
    private ReshapeOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Reshape", ReshapeOps::reshape);
        b.add("Flatten", ReshapeOps::flatten);
        b.add("Squeeze", ReshapeOps::squeeze);
        b.add("Unsqueeze", ReshapeOps::unsqueeze);
    }

    /** 0 copies the input's dimension (unless {@code allowzero}), -1 is inferred from the size. */
    private static void reshape(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Shape in = x.type().shape();
        List<Long> spec = Axes.longs(ctx.constantInput(n, 1, "shape"));
        boolean allowZero = n.intAttr("allowzero", 0) != 0;
        List<Integer> out = new ArrayList<>();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < spec.size(); i++) {
            long d = spec.get(i);
            if (d == -1) {
                if (inferred >= 0) {
                    throw n.error("shape " + spec + " has more than one -1");
                }
                inferred = i;
                out.add(-1);
                continue;
            }
            if (d == 0 && !allowZero) {
                if (i >= in.rank()) {
                    throw n.error("shape " + spec + " copies dimension " + i + " of the input " + x.type()
                            + ", which has no such dimension");
                }
                d = in.dim(i);
            }
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw n.error("shape " + spec + " has an invalid dimension " + d);
            }
            out.add((int) d);
            known *= d;
        }
        if (inferred >= 0) {
            if (known == 0 || in.size() % known != 0) {
                throw n.error("cannot reshape " + x.type() + " to " + spec);
            }
            out.set(inferred, (int) (in.size() / known));
        }
        ctx.emit(n, new Reshape(out), x);
    }

    /** [d0 ... d(axis-1)] x [d(axis) ... d(r-1)]. */
    private static void flatten(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Shape in = x.type().shape();
        long axis = n.intAttr("axis", 1);
        // Unlike other axes, this one may equal the rank: everything goes into the first dimension.
        long a = axis < 0 ? axis + in.rank() : axis;
        if (a < 0 || a > in.rank()) {
            throw n.error("axis " + axis + " is out of range for rank " + in.rank());
        }
        ctx.emit(n, new Reshape(List.of(in.sizeOf(0, (int) a), in.sizeOf((int) a, in.rank()))), x);
    }

    /** Removes the given axes, which must be 1, or all axes of size 1. */
    private static void squeeze(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Shape in = x.type().shape();
        Optional<List<Long>> axesSpec = ctx.opset() >= 13
                ? ctx.optionalConstantInput(n, 1, "axes").map(Axes::longs)
                : n.intsAttr("axes");
        List<Integer> axes;
        if (axesSpec.isPresent()) {
            axes = Axes.normalizeSorted(n, axesSpec.get(), in.rank());
            for (int a : axes) {
                if (in.dim(a) != 1) {
                    throw n.error("cannot squeeze axis " + a + " of " + x.type() + ": its size is not 1");
                }
            }
        } else {
            axes = new ArrayList<>();
            for (int a = 0; a < in.rank(); a++) {
                if (in.dim(a) == 1) {
                    axes.add(a);
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int a = 0; a < in.rank(); a++) {
            if (!axes.contains(a)) {
                out.add(in.dim(a));
            }
        }
        ctx.emit(n, new Reshape(out), x);
    }

    /** Inserts axes of size 1 at the given positions of the output. */
    private static void unsqueeze(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        Shape in = x.type().shape();
        List<Long> spec = ctx.opset() >= 13 ? Axes.longs(ctx.constantInput(n, 1, "axes"))
                : n.intsAttr("axes").orElseThrow(() -> n.error("attribute 'axes' is required"));
        int outRank = in.rank() + spec.size();
        List<Integer> axes = Axes.normalizeSorted(n, spec, outRank);
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int a = 0; a < outRank; a++) {
            out.add(axes.contains(a) ? 1 : in.dim(next++));
        }
        ctx.emit(n, new Reshape(out), x);
    }
}
