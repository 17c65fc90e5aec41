package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * MaxPool / AveragePool over the spatial axes of {@code x [N,C,D...]}, ONNX semantics: explicit pads
 * (begin pads then end pads), dilations, {@code ceil_mode}, and for averages whether padded positions
 * count in the divisor. Global pooling is imported as {@link Reduce}.
 */
public record Pool(PoolKind kind, List<Integer> kernel, List<Integer> strides, List<Integer> pads,
                   List<Integer> dilations, boolean ceilMode, boolean countIncludePad) implements Op {
    public Pool {
        kernel = List.copyOf(kernel);
        strides = List.copyOf(strides);
        pads = List.copyOf(pads);
        dilations = List.copyOf(dilations);
        ShapeRules.requirePositive(kernel, "kernel");
        ShapeRules.requirePositive(strides, "strides");
        ShapeRules.requirePositive(dilations, "dilations");
        ShapeRules.requireLength(strides, kernel.size(), "strides");
        ShapeRules.requireLength(dilations, kernel.size(), "dilations");
        ShapeRules.requireLength(pads, 2 * kernel.size(), "pads");
    }

    public int spatialRank() {
        return kernel.size();
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 1, 1);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        int sr = spatialRank();
        ShapeRules.requireRank(x, sr + 2, "input");
        int[] out = x.shape().dims();
        for (int i = 0; i < sr; i++) {
            out[i + 2] = ShapeRules.windowOutput(x.dim(i + 2), kernel.get(i), strides.get(i), dilations.get(i),
                    pads.get(i), pads.get(i + sr), ceilMode);
        }
        return List.of(TensorType.f32(out));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
