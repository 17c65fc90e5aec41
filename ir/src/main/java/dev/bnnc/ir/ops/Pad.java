package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * ONNX Pad with all pads explicit: one begin and one end pad per axis (begin pads first); negative
 * pads crop. {@code value} fills in constant mode.
 */
public record Pad(PadMode mode, List<Integer> pads, float value) implements Op {
    public Pad {
        Objects.requireNonNull(mode, "mode");
        pads = List.copyOf(pads);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        int r = x.rank();
        ShapeRules.requireLength(pads, 2 * r, "pads");
        int[] out = x.shape().dims();
        for (int i = 0; i < r; i++) {
            out[i] += pads.get(i) + pads.get(i + r);
            if (out[i] < 0) {
                throw new IrException("pads " + pads + " crop axis " + i + " of " + x + " below zero");
            }
            if (mode == PadMode.REFLECT && (pads.get(i) >= x.dim(i) || pads.get(i + r) >= x.dim(i))) {
                throw new IrException("reflect pads " + pads + " must be smaller than axis " + i + " of " + x);
            }
            if (mode != PadMode.CONSTANT && x.dim(i) == 0 && out[i] > 0) {
                throw new IrException("cannot " + mode.name().toLowerCase() + "-pad an empty axis");
            }
        }
        return List.of(x.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
