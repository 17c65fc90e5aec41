package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** Permutes axes: output axis i is input axis {@code perm[i]}. */
public record Transpose(List<Integer> perm) implements Op {
    public Transpose {
        perm = List.copyOf(perm);
        boolean[] seen = new boolean[perm.size()];
        for (int p : perm) {
            if (p < 0 || p >= perm.size() || seen[p]) {
                throw new IrException("perm must be a permutation of 0.." + (perm.size() - 1) + ", got " + perm);
            }
            seen[p] = true;
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        ShapeRules.requireRank(x, perm.size(), "input");
        int[] out = new int[perm.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.dim(perm.get(i));
        }
        return List.of(x.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
