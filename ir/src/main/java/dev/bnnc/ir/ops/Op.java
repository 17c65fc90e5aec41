package dev.bnnc.ir.ops;

import dev.bnnc.ir.TensorType;
import java.util.List;

/**
 * The closed set of IR operations. Each op is an immutable record of its attributes; the values it
 * reads and defines are a {@link dev.bnnc.ir.Node}'s concern.
 *
 * <p>Attributes hold everything that must be known at compile time (kernel sizes, target shapes,
 * slice bounds), so a backend never needs to look at constant inputs to know what a node does.
 * Dispatch goes through {@link OpVisitor}, which makes every consumer handle every op.
 */
public sealed interface Op
        permits Constant, Identity, Unary, LeakyRelu, Elu, Selu, Clip, Binary, Conv, Gemm, MatMul, Dense, FactoredDense,
                BatchNorm, ChannelAffine, Softmax, Pool, Reduce, Pad, Reshape, Transpose, Concat, Split,
                Slice, Gather, Tile, Expand, Cast, PackSigns, BinaryLayerOp {

    /**
     * Output types for the given input types, or an {@link dev.bnnc.ir.IrException} naming what
     * does not fit.
     */
    List<TensorType> inferTypes(List<TensorType> inputs);

    <R, C> R accept(OpVisitor<R, C> visitor, C context);

    /** The op's name in the text form and in messages. */
    default String opName() {
        return getClass().getSimpleName();
    }
}
