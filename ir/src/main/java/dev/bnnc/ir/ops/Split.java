package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Cuts its input along {@code axis} into consecutive parts of the given sizes, one output each. */
public record Split(int axis, List<Integer> sizes) implements Op {
    public Split {
        sizes = List.copyOf(sizes);
        if (axis < 0) {
            throw new IrException("axis must be normalized (non-negative), got " + axis);
        }
        if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 0)) {
            throw new IrException("sizes must be non-negative and non-empty, got " + sizes);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        x.shape().axis(axis);
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (total != x.dim(axis)) {
            throw new IrException("sizes " + sizes + " do not add up to axis " + axis + " of " + x);
        }
        List<TensorType> out = new ArrayList<>();
        for (int s : sizes) {
            int[] d = x.shape().dims();
            d[axis] = s;
            out.add(x.withShape(Shape.of(d)));
        }
        return out;
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
