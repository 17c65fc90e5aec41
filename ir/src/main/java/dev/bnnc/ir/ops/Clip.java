package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;

/** ONNX Clip with constant bounds (absent bounds are ±infinity). */
public record Clip(float min, float max) implements Op {
    /** The function on one element. */
    public double apply(double x) {
        return Math.min(Math.max(x, min), max);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        return List.of(ShapeRules.requireFloat(inputs.get(0), "input"));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
