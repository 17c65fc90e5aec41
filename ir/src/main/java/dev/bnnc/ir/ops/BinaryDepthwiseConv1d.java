package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * XNOR-popcount depthwise 1-D convolution (the D-FSMN memory block): each channel's signs are
 * packed along time, so one output's dot product is one popcount of a window of its input word
 * against the channel's kernel word. Semantics as {@link BinaryConv} with {@code group = channels}.
 *
 * <p>Inputs: x packed with {@code PackLayout(2, 1)} of its logical shape {@code [N, C, length]}
 * ({@code [N, C, words]}); its zero mask if {@code maskedInput}; the kernel signs {@code [C, words]}
 * (tap j at bit j); then the per-channel parameters. Logical output {@code [N, C, T']}.
 */
public record BinaryDepthwiseConv1d(int length, int kernel, int stride, int padBegin, int padEnd, int dilation,
                                    boolean maskedInput, BinaryOutput output, int packAxis, int packGroups)
        implements BinaryLayerOp {
    public BinaryDepthwiseConv1d {
        Objects.requireNonNull(output, "output");
        if (length <= 0 || kernel <= 0 || stride <= 0 || dilation <= 0 || padBegin < 0 || padEnd < 0) {
            throw new IrException("invalid depthwise convolution geometry");
        }
        if (kernel >= PackLayout.WORD) {
            throw new IrException("kernel must be shorter than " + PackLayout.WORD + " taps, got " + kernel);
        }
    }

    /** The equivalent float convolution's attributes (group = channels). */
    public Conv conv(int channels) {
        return new Conv(List.of(stride), List.of(padBegin, padEnd), List.of(dilation), channels);
    }

    public int outputLength() {
        return ShapeRules.windowOutput(length, kernel, stride, dilation, padBegin, padEnd, false);
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> inputs) {
        if (inputs.isEmpty()) {
            throw new IrException("expects inputs");
        }
        Shape xBits = inputs.get(0).shape();
        if (xBits.rank() != 3) {
            throw new IrException("input must be packed words [N, C, words], got " + inputs.get(0));
        }
        int channels = xBits.dim(1);
        PackLayout time = new PackLayout(2, 1);
        Shape xLogical = Shape.of(xBits.dim(0), channels, length);
        BinaryLayer.checkInputs(inputs, maskedInput, time.packed(xLogical),
                Shape.of(channels, time.wordsPerGroup(kernel)), channels, output);
        return BinaryLayer.outputs(output, Shape.of(xBits.dim(0), channels, outputLength()), 1, packAxis, packGroups);
    }

    @Override
    public BinaryDepthwiseConv1d withOutput(BinaryOutput newOutput, int newPackAxis, int newPackGroups) {
        return new BinaryDepthwiseConv1d(length, kernel, stride, padBegin, padEnd, dilation, maskedInput, newOutput,
                newPackAxis, newPackGroups);
    }

    @Override
    public BinaryDepthwiseConv1d withoutMask() {
        return new BinaryDepthwiseConv1d(length, kernel, stride, padBegin, padEnd, dilation, false, output, packAxis, packGroups);
    }

    @Override
    public int channelAxis(int outputRank) {
        return 1;
    }

    @Override
    public int maxDot(List<TensorType> inputs) {
        return kernel;
    }

    @Override
    public int weightGroupLength(List<TensorType> inputs) {
        return kernel;
    }

    @Override
    public BinaryFloatForm floatForm(List<TensorType> inputs, Tensor weightWords) {
        Shape xBits = inputs.get(0).shape();
        int channels = xBits.dim(1);
        Tensor weight = BinaryFloatForm.unpackRows(weightWords, Shape.of(channels, kernel)).reshape(Shape.of(channels, 1, kernel));
        return new BinaryFloatForm(Shape.of(xBits.dim(0), channels, length), new PackLayout(2, 1), conv(channels), weight);
    }

    @Override
    public <R, C> R accept(OpVisitor<R, C> visitor, C context) {
        return visitor.visit(this, context);
    }
}
