package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * N-d convolution with ONNX semantics: inputs {@code x [N,C,D...]}, {@code w [M,C/group,K...]} and an
 * optional bias {@code b [M]}. Padding is explicit ({@code auto_pad} is resolved on import), laid
 * out as ONNX does: all begin pads, then all end pads.
 */
public record Conv(List<Integer> strides, List<Integer> pads, List<Integer> dilations, int group) implements Op {
    public Conv {
        strides = List.copyOf(strides);
        pads = List.copyOf(pads);
        dilations = List.copyOf(dilations);
        ShapeRules.requirePositive(strides, "strides");
        ShapeRules.requirePositive(dilations, "dilations");
        ShapeRules.requireLength(pads, 2 * strides.size(), "pads");
        ShapeRules.requireLength(dilations, strides.size(), "dilations");
        if (group <= 0) {
            throw new IrException("group must be positive, got " + group);
        }
    }

    /** Number of spatial axes. */
    public int spatialRank() {
        return strides.size();
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        ShapeRules.arity(inputs, 2, 3);
        TensorType x = ShapeRules.requireFloat(inputs.get(0), "input");
        TensorType w = ShapeRules.requireFloat(inputs.get(1), "weight");
        int sr = spatialRank();
        ShapeRules.requireRank(x, sr + 2, "input");
        ShapeRules.requireRank(w, sr + 2, "weight");
        int channels = x.dim(1);
        int m = w.dim(0);
        if (channels % group != 0 || m % group != 0 || w.dim(1) * group != channels) {
            throw new IrException("input " + x + " and weight " + w + " do not fit group " + group);
        }
        if (inputs.size() == 3) {
            ShapeRules.requireVector(ShapeRules.requireFloat(inputs.get(2), "bias"), m, "bias");
        }
        int[] out = new int[sr + 2];
        out[0] = x.dim(0);
        out[1] = m;
        for (int i = 0; i < sr; i++) {
            out[i + 2] = ShapeRules.windowOutput(x.dim(i + 2), w.dim(i + 2), strides.get(i), dilations.get(i),
                    pads.get(i), pads.get(i + sr), false);
        }
        return List.of(TensorType.f32(out));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
