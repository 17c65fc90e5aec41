package dev.bnnc.ir.ops;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** ONNX Expand: broadcasts the input against {@code shape}; the result has the broadcast shape. */
public record Expand(List<Integer> shape) implements Op {
    public Expand {
        shape = List.copyOf(shape);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        Shape target = Shape.of(shape.stream().mapToInt(Integer::intValue).toArray());
        return List.of(x.withShape(ShapeRules.broadcast(x.shape(), target)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
