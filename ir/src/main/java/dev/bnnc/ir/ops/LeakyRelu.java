package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * ONNX LeakyRelu, {@code x} where non-negative and {@code alpha·x} below, decided by the sign bit
 * of {@code x} as {@link BinaryFn#PRELU} is.
 */
public record LeakyRelu(float alpha) implements Op {
    /** The function on one element. */
    public double apply(double x) {
        return BinaryFn.signSelect(x, alpha * x);
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
