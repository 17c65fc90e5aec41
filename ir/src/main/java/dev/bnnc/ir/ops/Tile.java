package dev.bnnc.ir.ops;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** Repeats the input {@code repeats[a]} times along each axis a. */
public record Tile(List<Integer> repeats) implements Op {
    public Tile {
        repeats = List.copyOf(repeats);
        ShapeRules.requirePositive(repeats, "repeats");
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        ShapeRules.requireLength(repeats, x.rank(), "repeats");
        int[] out = x.shape().dims();
        for (int i = 0; i < out.length; i++) {
            out[i] *= repeats.get(i);
        }
        return List.of(x.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
