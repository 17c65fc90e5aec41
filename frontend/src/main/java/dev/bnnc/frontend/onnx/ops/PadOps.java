package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Pad in constant, reflect and edge modes. Pads and value are attributes before opset 11, constant
 * inputs from then on; from opset 18 an {@code axes} input says which axes the pads are for.
 */
final class PadOps {
    private PadOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Pad", PadOps::pad);
    }

    private static void pad(OnnxNode n, ImportContext ctx) {
        Value x = ctx.input(n, 0);
        int rank = x.type().rank();
        PadMode mode = switch (n.stringAttr("mode", "constant")) {
            case "constant" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            case "edge" -> PadMode.EDGE;
            default -> throw n.unsupported("mode '" + n.stringAttr("mode", "") + "'");
        };
        List<Long> pads;
        float value;
        List<Long> axes = null;
        if (ctx.opset() < 11) {
            pads = n.intsAttr("pads").orElseThrow(() -> n.error("attribute 'pads' is required"));
            value = n.floatAttr("value", 0f);
        } else {
            pads = Axes.longs(ctx.constantInput(n, 1, "pads"));
            Tensor v = ctx.optionalConstantInput(n, 2, "constant_value").orElse(Tensor.scalar(0f));
            if (v.size() != 1) {
                throw n.error("constant_value must be a scalar, has shape " + v.shape());
            }
            value = v.floatAt(0);
            if (ctx.opset() >= 18) {
                axes = ctx.optionalConstantInput(n, 3, "axes").map(Axes::longs).orElse(null);
            }
        }
        List<Integer> full;
        if (axes == null) {
            if (pads.size() != 2 * rank) {
                throw n.error("pads " + pads + " must have " + 2 * rank + " entries for input " + x.type());
            }
            full = Axes.toInts(n, pads, "pads");
        } else {
            int k = axes.size();
            if (pads.size() != 2 * k) {
                throw n.error("pads " + pads + " must have " + 2 * k + " entries for axes " + axes);
            }
            List<Integer> given = Axes.toInts(n, pads, "pads");
            full = new ArrayList<>(Axes.repeat(0, 2 * rank));
            boolean[] seen = new boolean[rank];
            for (int i = 0; i < k; i++) {
                int a = Axes.normalize(n, axes.get(i), rank);
                if (seen[a]) {
                    throw n.error("axes " + axes + " name axis " + a + " twice");
                }
                seen[a] = true;
                full.set(a, given.get(i));
                full.set(a + rank, given.get(i + k));
            }
        }
        ctx.emit(n, new Pad(mode, full, value), x);
    }
}
