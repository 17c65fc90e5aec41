package dev.bnnc.ir.ops;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * The XNOR-popcount layers. Their inputs are: the packed signs, the zero mask if
 * {@link #maskedInput}, the packed weight signs, then two per-channel parameters of the
 * {@link #output} epilogue. What passes need to rewrite one generically lives here.
 */
public sealed interface BinaryLayerOp extends Op permits BinaryConv, BinaryDense, BinaryDepthwiseConv1d {
    boolean maskedInput();

    BinaryOutput output();

    int packAxis();

    int packGroups();

    /** The same layer with another epilogue (sign outputs packed as given). */
    BinaryLayerOp withOutput(BinaryOutput output, int packAxis, int packGroups);

    /** The same layer reading an input that has no zero mask. */
    BinaryLayerOp withoutMask();

    /** Index of the weight among the inputs. */
    default int weightInput() {
        return maskedInput() ? 2 : 1;
    }

    /** Index of the epilogue's first parameter (scale or lo) among the inputs. */
    default int parameterInput() {
        return weightInput() + 1;
    }

    /** The channel axis of the logical output. */
    int channelAxis(int outputRank);

    /** How many signs each dot product sums at most (its input channels times taps), given the input types. */
    int maxDot(List<TensorType> inputs);

    /** Signs in each packed group of the weight (where padding bits start), given the input types. */
    int weightGroupLength(List<TensorType> inputs);

    /** The float op computing the same dot products, given the input types and the packed weight signs. */
    BinaryFloatForm floatForm(List<TensorType> inputs, Tensor weightWords);
}
