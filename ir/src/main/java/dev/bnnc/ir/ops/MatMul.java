package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/** ONNX MatMul (NumPy matmul): batched over broadcast leading axes; 1-D operands are promoted and the axis dropped. */
public record MatMul() implements Op {
    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 2, 2);
        TensorType a = inputs.get(0);
        TensorType b = inputs.get(1);
        if (a.dtype() != b.dtype()) {
            throw new IrException("operand types differ: " + a + " and " + b);
        }
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IrException("operands must have rank >= 1, got " + a + " and " + b);
        }
        int[] ad = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape().dims();
        int[] bd = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape().dims();
        int k = ad[ad.length - 1];
        if (k != bd[bd.length - 2]) {
            throw new IrException("inner dimensions differ: " + a + " and " + b);
        }
        Shape batch = ShapeRules.broadcast(Shape.of(Arrays.copyOf(ad, ad.length - 2)),
                Shape.of(Arrays.copyOf(bd, bd.length - 2)));
        int[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = ad[ad.length - 2];
        out[batch.rank() + 1] = bd[bd.length - 1];
        // Drop the axes that were added for 1-D operands.
        int[] result;
        if (a.rank() == 1 && b.rank() == 1) {
            result = new int[0];
        } else if (a.rank() == 1) {
            result = dropAxis(out, out.length - 2);
        } else if (b.rank() == 1) {
            result = dropAxis(out, out.length - 1);
        } else {
            result = out;
        }
        return List.of(new TensorType(a.dtype(), Shape.of(result)));
    }

    private static int[] dropAxis(int[] dims, int axis) {
        int[] r = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != axis) {
                r[j++] = dims[i];
            }
        }
        return r;
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
