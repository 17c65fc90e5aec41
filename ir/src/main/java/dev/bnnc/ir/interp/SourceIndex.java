package dev.bnnc.ir.interp;

import dev.bnnc.ir.Shape;

/**
 * Index maps for data movement: for each element of an output (row-major), the flat index of the
 * source element it reads, or {@link #FILL} where it reads none (constant padding).
 */
final class SourceIndex {
    /** Marks an output element that takes a fill value instead of a source element. */
    static final int FILL = -1;

    private SourceIndex() {}

    /**
     * The map of a separable movement, where output coordinate {@code o} on axis {@code a}
     * contributes {@code perAxis[a][o]} to the source index ({@link #FILL} where it leaves the
     * source). Transpose, Slice, Tile, Pad and broadcasting are all of this form.
     */
    static int[] separable(Shape out, int[][] perAxis) {
        int[] index = {0};
        for (int a = 0; a < out.rank(); a++) {
            int[] offsets = perAxis[a];
            int d = out.dim(a);
            int[] next = new int[index.length * d];
            for (int p = 0, o = 0; p < index.length; p++) {
                int base = index[p];
                for (int i = 0; i < d; i++, o++) {
                    next[o] = base == FILL || offsets[i] == FILL ? FILL : base + offsets[i];
                }
            }
            index = next;
        }
        return index;
    }

    /** NumPy broadcasting of {@code in} to {@code out}: axes aligned from the right, size-1 axes repeated. */
    static int[] broadcast(Shape in, Shape out) {
        int lead = out.rank() - in.rank();
        int[] inStrides = in.strides();
        int[][] perAxis = new int[out.rank()][];
        for (int a = 0; a < out.rank(); a++) {
            int stride = a < lead || in.dim(a - lead) == 1 ? 0 : inStrides[a - lead];
            perAxis[a] = multiples(out.dim(a), stride);
        }
        return separable(out, perAxis);
    }

    /** {@code 0, step, 2·step, ...} ({@code n} entries). */
    static int[] multiples(int n, int step) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i * step;
        }
        return r;
    }
}
