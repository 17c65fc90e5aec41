package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * Same elements, new static shape (ONNX Reshape, Flatten, Squeeze and Unsqueeze all import as this).
 * In row-major storage it moves no data.
 */
public record Reshape(List<Integer> shape) implements Op {
    public Reshape {
        shape = List.copyOf(shape);
    }

    public Shape targetShape() {
        return Shape.of(shape.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        Shape target = targetShape();
        if (target.size() != x.size()) {
            throw new IrException("cannot reshape " + x + " to " + target);
        }
        return List.of(x.withShape(target));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
