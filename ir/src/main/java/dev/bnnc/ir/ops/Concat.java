package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** Joins its inputs along {@code axis} (normalized); the other axes must agree. */
public record Concat(int axis) implements Op {
    public Concat {
        if (axis < 0) {
            throw new IrException("axis must be normalized (non-negative), got " + axis);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        if (inputs.isEmpty()) {
            throw new IrException("expects at least one input");
        }
        TensorType first = inputs.get(0);
        first.shape().axis(axis);
        int[] out = first.shape().dims();
        out[axis] = 0;
        for (TensorType t : inputs) {
            if (t.dtype() != first.dtype() || t.rank() != first.rank()) {
                throw new IrException("inputs " + first + " and " + t + " cannot be concatenated");
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != axis && t.dim(i) != first.dim(i)) {
                    throw new IrException("inputs " + first + " and " + t + " differ outside axis " + axis);
                }
            }
            out[axis] += t.dim(axis);
        }
        return List.of(first.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
