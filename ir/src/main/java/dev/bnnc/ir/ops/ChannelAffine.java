package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * Per-channel affine map {@code y = x·scale[c] + shift[c]}, where c is the index along {@code axis}.
 * What BatchNorm and scalar or per-channel Mul/Add chains become when they cannot be folded into a
 * preceding layer. Inputs: x, scale [C], shift [C].
 */
public record ChannelAffine(int axis) implements Op {
    public ChannelAffine {
        if (axis < 0) {
            throw new IrException("axis must be normalized (non-negative), got " + axis);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 3, 3);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        int c = x.dim(x.shape().axis(axis));
        ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(1), "scale"), c, "scale");
        ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(2), "shift"), c, "shift");
        return List.of(x);
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
