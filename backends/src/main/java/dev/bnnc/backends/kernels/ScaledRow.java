package dev.bnnc.backends.kernels;

import java.util.List;

/**
 * One term of a multiply-accumulate over a row: {@code scales[k] * row[j + offset]} into
 * accumulator k at vector index j, for one or more accumulators that share the row. Each scale is a
 * float expression that does not depend on j, {@code row} an array (Java) or pointer (C) expression.
 */
public record ScaledRow(List<String> scales, String row, int offset) {
    public ScaledRow {
        scales = List.copyOf(scales);
    }

    /** A term of one accumulator. */
    public ScaledRow(String scale, String row, int offset) {
        this(List.of(scale), row, offset);
    }
}
