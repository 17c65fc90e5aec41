package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/** An element-wise function of two operands with NumPy broadcasting. */
public record Binary(BinaryFn fn) implements Op {
    public Binary {
        Objects.requireNonNull(fn, "fn");
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 2, 2);
        TensorType a = inputs.get(0);
        TensorType b = inputs.get(1);
        if (a.dtype() != b.dtype()) {
            throw new IrException("operand types differ: " + a + " and " + b);
        }
        Shape out = ShapeRules.broadcast(a.shape(), b.shape());
        if (fn == BinaryFn.PRELU && !out.equals(a.shape())) {
            throw new IrException("PRelu slope " + b + " does not broadcast to the input " + a);
        }
        return List.of(new TensorType(a.dtype(), out));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
