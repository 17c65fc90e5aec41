package dev.bnnc.ir.ops;

/** What a binary layer ({@link BinaryConv}, {@link BinaryDense}) makes of its integer dot products. */
public enum BinaryOutput {
    /** Floats {@code dot * scale[c] + bias[c]}; the parameters are the inputs after the weight. */
    AFFINE,
    /**
     * Packed signs, per channel {@code +1} where {@code dot >= hi[c]}, {@code -1} where
     * {@code dot < lo[c]} (i64 parameters after the weight), straight into the next binary layer's
     * input layout.
     */
    SIGNS,
    /** As {@link #SIGNS}, and 0 where {@code lo[c] <= dot < hi[c]}, marked in a zero mask (second output). */
    SIGNS_WITH_ZEROS
}
