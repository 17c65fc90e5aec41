package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reduction over a sorted set of axes (normalized, non-negative), keeping them as 1s when {@code keepDims}. */
public record Reduce(ReduceFn fn, List<Integer> axes, boolean keepDims) implements Op {
    public Reduce {
        Objects.requireNonNull(fn, "fn");
        axes = List.copyOf(axes);
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i) < 0 || (i > 0 && axes.get(i) <= axes.get(i - 1))) {
                throw new IrException("axes must be normalized, sorted and distinct, got " + axes);
            }
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        for (int a : axes) {
            x.shape().axis(a);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.dim(i));
            } else if (keepDims) {
                out.add(1);
            }
        }
        return List.of(x.withShape(Shape.of(out.stream().mapToInt(Integer::intValue).toArray())));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
