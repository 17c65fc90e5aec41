package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/** An element-wise function without parameters. */
public record Unary(UnaryFn fn) implements Op {
    public Unary {
        Objects.requireNonNull(fn, "fn");
    }

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
