package dev.bnnc.ir.ops;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/** Converts elements to {@code to}; float to integer truncates toward zero, as ONNX Runtime does. */
public record Cast(DType to) implements Op {
    public Cast {
        Objects.requireNonNull(to, "to");
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        return List.of(new TensorType(to, inputs.get(0).shape()));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
