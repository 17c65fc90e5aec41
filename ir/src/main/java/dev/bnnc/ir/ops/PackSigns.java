package dev.bnnc.ir.ops;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * The signs of a float tensor, packed into words as {@link PackLayout}{@code (axis, groups)} lays
 * them out: what a binarized layer's input {@code Sign(x)} becomes. ONNX {@code Sign(0) = 0}: unless
 * {@code bipolar}, a second output is the zero mask, so that a 0 adds nothing to a dot product.
 * With {@code bipolar} (QONNX {@code BipolarQuant}), {@code x >= 0} is +1 and there is no mask.
 */
public record PackSigns(int axis, int groups, boolean bipolar) implements Op {
    public PackSigns {
        new PackLayout(axis, groups);
    }

    public PackLayout layout() {
        return new PackLayout(axis, groups);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        TensorType bits = new TensorType(DType.BITS, layout().packed(x.shape()));
        return bipolar ? List.of(bits) : List.of(bits, new TensorType(DType.BITS, layout().zeroMask(x.shape())));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
