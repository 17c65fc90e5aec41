package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer over the last axis: {@code y[..., n] = sum_k x[..., k]·w[k, n] + b[n]}.
 * Canonicalization turns Gemm and MatMul with a constant weight into this op, so that later passes
 * (binarization, DeepThin) and the backends see one form of dense layer. The weight is [K, N] as
 * in MatMul; the bias [N] is optional.
 */
public record Dense() implements Op {
    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 2, 3);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        TensorType w = ShapeRules.requireFloat(inputs.get(1), "weight");
        ShapeRules.requireRank(w, 2, "weight");
        if (x.rank() < 1 || x.dim(x.rank() - 1) != w.dim(0)) {
            throw new IrException("input " + x + " does not match weight " + w);
        }
        if (inputs.size() == 3) {
            ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(2), "bias"), w.dim(1), "bias");
        }
        int[] out = Arrays.copyOf(x.shape().dims(), x.rank());
        out[out.length - 1] = w.dim(1);
        return List.of(TensorType.f32(out));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
