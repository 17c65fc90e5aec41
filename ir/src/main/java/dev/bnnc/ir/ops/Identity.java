package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;

/** Passes its input through (ONNX Identity, and Dropout at inference). Canonicalization removes it. */
public record Identity() implements Op {
    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        return List.of(inputs.get(0));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
