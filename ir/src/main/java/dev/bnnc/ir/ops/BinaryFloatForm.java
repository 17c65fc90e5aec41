package dev.bnnc.ir.ops;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;

/**
 * A binary layer's dot products as a float op over -1/0/+1 values, which computes them exactly
 * (they are sums of small integers): the reference interpreter runs it, and the ONNX exporter writes
 * it as a standard Conv or MatMul.
 *
 * @param input the logical shape of the input signs, before packing
 * @param inputLayout how the input signs are packed
 * @param dot a {@link Conv}, or a {@link Dense} without bias
 * @param weight the weight signs as -1/+1 floats, shaped as {@code dot} takes them
 */
public record BinaryFloatForm(Shape input, PackLayout inputLayout, Op dot, Tensor weight) {
    /** Unpacks packed weight signs: row {@code r} of {@code rows} holds the signs of output {@code r}. */
    static Tensor unpackRows(Tensor words, Shape rows) {
        return Tensor.adoptFloats(rows, new PackLayout(1, 1).unpack(words.toLongArray(), null, rows));
    }
}
