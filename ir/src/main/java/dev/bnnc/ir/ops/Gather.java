package dev.bnnc.ir.ops;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * ONNX Gather with constant indices (normalized to be non-negative): output shape is
 * {@code data[:axis] + indices + data[axis+1:]}.
 */
public record Gather(int axis, Tensor indices) implements Op {
    public Gather {
        Objects.requireNonNull(indices, "indices");
        if (axis < 0) {
            throw new IrException("axis must be normalized (non-negative), got " + axis);
        }
        if (indices.dtype() != DType.I64) {
            throw new IrException("indices must be i64, got " + indices.type());
        }
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = inputs.get(0);
        x.shape().axis(axis);
        for (int i = 0; i < indices.size(); i++) {
            long idx = indices.longAt(i);
            if (idx < 0 || idx >= x.dim(axis)) {
                throw new IrException("index " + idx + " is out of range for axis " + axis + " of " + x);
            }
        }
        int[] d = x.shape().dims();
        int[] id = indices.shape().dims();
        int[] out = new int[d.length - 1 + id.length];
        System.arraycopy(d, 0, out, 0, axis);
        System.arraycopy(id, 0, out, axis, id.length);
        System.arraycopy(d, axis + 1, out, axis + id.length, d.length - axis - 1);
        return List.of(x.withShape(Shape.of(out)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
