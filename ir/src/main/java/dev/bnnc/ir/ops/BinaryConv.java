package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * XNOR-popcount convolution: {@link Conv} with inputs and weights of ±1 (inputs may be 0 where a
 * zero mask says so), computing integer dot products {@code sum x*w} exactly over the taps inside
 * the input (zero padding adds nothing), then an {@link BinaryOutput} epilogue.
 *
 * <p>Inputs: x packed with {@code PackLayout(1, group)} of its logical shape
 * {@code [N, channels, D...]}, i.e. {@code [N, D..., group * words]}; its zero mask if
 * {@code maskedInput}; the weight signs {@code [M, K..., words]} (each output channel's group of
 * input channels packed); then the per-channel parameters of the epilogue. The logical output is
 * {@code [N, M, D'...]} as for Conv; the sign forms pack it with {@code PackLayout(packAxis, packGroups)}.
 */
public record BinaryConv(List<Integer> strides, List<Integer> pads, List<Integer> dilations, int group, int channels,
                         boolean maskedInput, BinaryOutput output, int packAxis, int packGroups)
        implements BinaryLayerOp {
    public BinaryConv {
        strides = List.copyOf(strides);
        pads = List.copyOf(pads);
        dilations = List.copyOf(dilations);
        Objects.requireNonNull(output, "output");
        new Conv(strides, pads, dilations, group);
        if (channels <= 0 || channels % group != 0) {
            throw new IrException("channels " + channels + " do not split into " + group + " groups");
        }
    }

    public int spatialRank() {
        return strides.size();
    }

    /** The input's packing. */
    public PackLayout inputLayout() {
        return new PackLayout(1, group);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        if (inputs.isEmpty()) {
            throw new IrException("expects inputs");
        }
        int sr = spatialRank();
        Shape xBits = inputs.get(0).shape();
        if (xBits.rank() != sr + 2) {
            throw new IrException("input must be packed words of rank " + (sr + 2) + ", got " + inputs.get(0));
        }
        Shape weight = inputs.get(maskedInput ? 2 : 1).shape();
        if (weight.rank() != sr + 2) {
            throw new IrException("weight must have rank " + (sr + 2) + ", got " + inputs.get(maskedInput ? 2 : 1));
        }
        int m = weight.dim(0);
        int[] logical = new int[sr + 2];
        logical[0] = xBits.dim(0);
        logical[1] = channels;
        for (int i = 0; i < sr; i++) {
            logical[i + 2] = xBits.dim(i + 1);
        }
        Shape xLogical = Shape.of(logical);
        int[] w = new int[sr + 2];
        w[0] = m;
        for (int i = 0; i < sr; i++) {
            w[i + 1] = weight.dim(i + 1);
        }
        w[sr + 1] = new PackLayout(0, 1).wordsPerGroup(channels / group);
        BinaryLayer.checkInputs(inputs, maskedInput, inputLayout().packed(xLogical), Shape.of(w), m, output);
        // The logical output shape is Conv's, with a weight of the same kernel.
        int[] convWeight = new int[sr + 2];
        convWeight[0] = m;
        convWeight[1] = channels / group;
        for (int i = 0; i < sr; i++) {
            convWeight[i + 2] = weight.dim(i + 1);
        }
        Shape out = new Conv(strides, pads, dilations, group)
                .inferTypes(List.of(TensorType.f32(logical), TensorType.f32(convWeight))).get(0).shape();
        return BinaryLayer.outputs(output, out, 1, packAxis, packGroups);
    }

    @Override
    public BinaryConv withOutput(BinaryOutput newOutput, int newPackAxis, int newPackGroups) {
        return new BinaryConv(strides, pads, dilations, group, channels, maskedInput, newOutput, newPackAxis, newPackGroups);
    }

    @Override
    public BinaryConv withoutMask() {
        return new BinaryConv(strides, pads, dilations, group, channels, false, output, packAxis, packGroups);
    }

    @Override
    public int channelAxis(int outputRank) {
        return 1;
    }

    @Override
    public int maxDot(List<TensorType> inputs) {
        Shape w = inputs.get(weightInput()).shape();
        return channels / group * w.sizeOf(1, w.rank() - 1);
    }

    @Override
    public int weightGroupLength(List<TensorType> inputs) {
        return channels / group;
    }

    @Override
    public BinaryFloatForm floatForm(List<TensorType> inputs, Tensor weightWords) {
        int sr = spatialRank();
        Shape xBits = inputs.get(0).shape();
        int[] logical = new int[sr + 2];
        int[] weight = new int[sr + 2];
        logical[0] = xBits.dim(0);
        logical[1] = channels;
        weight[0] = weightWords.shape().dim(0);
        weight[1] = channels / group;
        for (int i = 0; i < sr; i++) {
            logical[i + 2] = xBits.dim(i + 1);
            weight[i + 2] = weightWords.shape().dim(i + 1);
        }
        return new BinaryFloatForm(Shape.of(logical), inputLayout(), new Conv(strides, pads, dilations, group),
                BinaryFloatForm.unpackRows(weightWords, Shape.of(weight)));
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
