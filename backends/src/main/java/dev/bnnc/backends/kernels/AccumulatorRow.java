package dev.bnnc.backends.kernels;

/**
 * An accumulator row of a multiply-accumulate: the floats from {@code offset} on of an array (Java)
 * or pointer (C), so that several rows may share one array (see {@link Accumulation#declare}).
 */
public record AccumulatorRow(String array, int offset) {
    /** The element at {@code index} (an int expression) of the row. */
    public String at(String index) {
        return array + "[" + Index.plus(index, String.valueOf(offset)) + "]";
    }

    /** The row's first element's index in its array, as an expression. */
    public String start() {
        return String.valueOf(offset);
    }
}
