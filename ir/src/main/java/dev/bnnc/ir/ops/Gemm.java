package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** ONNX Gemm: {@code alpha·A'·B' + beta·C}, with A' and B' optionally transposed and C broadcast to [M,N]. */
public record Gemm(float alpha, float beta, boolean transA, boolean transB) implements Op {
    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 2, 3);
        TensorType a = ShapeRules.requireFloat(inputs.get(0), "A");
        TensorType b = ShapeRules.requireFloat(inputs.get(1), "B");
        ShapeRules.requireRank(a, 2, "A");
        ShapeRules.requireRank(b, 2, "B");
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IrException("inner dimensions differ: A " + a + (transA ? "ᵀ" : "") + ", B " + b + (transB ? "ᵀ" : ""));
        }
        Shape out = Shape.of(m, n);
        if (inputs.size() == 3 && !ShapeRules.broadcast(inputs.get(2).shape(), out).equals(out)) {
            throw new IrException("C " + inputs.get(2) + " does not broadcast to " + out);
        }
        return List.of(new TensorType(a.dtype(), out));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
