package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * ONNX BatchNormalization at inference: {@code (x - mean) / sqrt(var + epsilon) · scale + bias}
 * per channel (axis 1). Inputs: x, scale, bias, mean, var.
 */
public record BatchNorm(float epsilon) implements Op {
    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 5, 5);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        if (x.rank() < 2) {
            throw new IrException("input must have rank >= 2, got " + x);
        }
        String[] names = {"scale", "bias", "mean", "var"};
        for (int i = 1; i < 5; i++) {
            ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(i), names[i - 1]), x.dim(1), names[i - 1]);
        }
        return List.of(x);
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
