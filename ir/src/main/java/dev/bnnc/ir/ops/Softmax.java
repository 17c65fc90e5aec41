package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * Softmax (or log-softmax when {@code log}) over one axis, the opset-13 semantics; the importer
 * rewrites the older "flatten from axis" form into this one.
 */
public record Softmax(int axis, boolean log) implements Op {
    public Softmax {
        if (axis < 0) {
            throw new IrException("axis must be normalized (non-negative), got " + axis);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        x.shape().axis(axis);
        return List.of(x);
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
