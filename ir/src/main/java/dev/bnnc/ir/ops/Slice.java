package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * A strided window, resolved for every axis: output index i on axis a reads input index
 * {@code starts[a] + i·steps[a]}, for {@code sizes[a]} indices. The importer resolves ONNX's
 * clamping and negative indices into this form.
 */
public record Slice(List<Integer> starts, List<Integer> steps, List<Integer> sizes) implements Op {
    public Slice {
        starts = List.copyOf(starts);
        steps = List.copyOf(steps);
        sizes = List.copyOf(sizes);
        ShapeRules.requireLength(steps, starts.size(), "steps");
        ShapeRules.requireLength(sizes, starts.size(), "sizes");
        if (steps.contains(0)) {
            throw new IrException("steps must be non-zero, got " + steps);
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        ShapeRules.requireRank(x, starts.size(), "input");
        int[] out = new int[x.rank()];
        for (int a = 0; a < out.length; a++) {
            int n = sizes.get(a);
            int first = starts.get(a);
            int last = first + (n - 1) * steps.get(a);
            if (n < 0 || (n > 0 && (first < 0 || first >= x.dim(a) || last < 0 || last >= x.dim(a)))) {
                throw new IrException("slice of axis " + a + " (start " + first + ", step " + steps.get(a)
                        + ", size " + n + ") leaves " + x);
            }
            out[a] = n;
        }
        return List.of(x.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
