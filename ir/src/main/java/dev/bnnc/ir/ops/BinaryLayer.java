package dev.bnnc.ir.ops;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Type rules shared by the binary layers: their optional zero-mask input and their two output forms. */
final class BinaryLayer {
    private BinaryLayer() {}

    /** Checks the inputs after x (its mask, the weight, the two per-channel parameters). */
    static void checkInputs(List<TensorType> in, boolean maskedInput, Shape xBits, Shape weight, int channels,
                            BinaryOutput output) {
        ShapeRules.arity(in, maskedInput ? 5 : 4, maskedInput ? 5 : 4);
        requireBits(in.get(0), xBits, "input");
        int at = 1;
        if (maskedInput) {
            requireBits(in.get(at++), Shape.of(xBits.size() + 1), "input zero mask");
        }
        requireBits(in.get(at++), weight, "weight");
        DType param = output == BinaryOutput.AFFINE ? DType.F32 : DType.I64;
        String[] names = output == BinaryOutput.AFFINE ? new String[] {"scale", "bias"} : new String[] {"lo", "hi"};
        for (int i = 0; i < 2; i++) {
            TensorType t = in.get(at + i);
            if (t.dtype() != param) {
                throw new IrException(names[i] + " must be " + param.textName() + ", got " + t);
            }
            ShapeRules.requireVector(t, channels, names[i]);
        }
    }

    /**
     * The output types for logical output shape {@code logical}; the sign forms pack along the
     * channel axis, as the next binary layer reads them.
     */
    static List<TensorType> outputs(BinaryOutput output, Shape logical, int channelAxis, int packAxis, int packGroups) {
        if (output == BinaryOutput.AFFINE) {
            return List.of(new TensorType(DType.F32, logical));
        }
        if (packAxis != channelAxis) {
            throw new IrException("signs must be packed along the channel axis " + channelAxis + ", got " + packAxis);
        }
        PackLayout layout = new PackLayout(packAxis, packGroups);
        List<TensorType> out = new ArrayList<>();
        out.add(new TensorType(DType.BITS, layout.packed(logical)));
        if (output == BinaryOutput.SIGNS_WITH_ZEROS) {
            out.add(new TensorType(DType.BITS, layout.zeroMask(logical)));
        }
        return out;
    }

    private static void requireBits(TensorType t, Shape shape, String what) {
        if (t.dtype() != DType.BITS || !t.shape().equals(shape)) {
            throw new IrException(what + " must be " + new TensorType(DType.BITS, shape) + ", got " + t);
        }
    }
}
