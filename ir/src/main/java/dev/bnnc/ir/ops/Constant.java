package dev.bnnc.ir.ops;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/** A compile-time constant: a weight, a folded subgraph, a bias. Shared by reference. */
public record Constant(Tensor value) implements Op {
    public Constant {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 0, 0);
        return List.of(value.type());
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
