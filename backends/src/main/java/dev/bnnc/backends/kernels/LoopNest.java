package dev.bnnc.backends.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop nest over a box of indices that reads or writes several operands at strided offsets, as in
 * broadcasting, transposes, slices and tiles. Dimensions of extent 1 are dropped and neighbours that
 * every operand walks contiguously are merged, so a broadcast add of equal shapes becomes one loop.
 */
public final class LoopNest {
    private final int[] dims;
    private final int[][] strides;
    private final String[] bases;

    /**
     * @param dims    extent of each loop
     * @param strides for each operand, its stride along each loop (0 where it is broadcast)
     * @param bases   for each operand, the offset at index zero
     */
    public LoopNest(int[] dims, int[][] strides, int[] bases) {
        this(dims, strides, Arrays.stream(bases).mapToObj(String::valueOf).toArray(String[]::new));
    }

    /** Like the int form, with bases given as index expressions (for nests inside other loops). */
    public LoopNest(int[] dims, int[][] strides, String[] bases) {
        List<Integer> d = new ArrayList<>();
        List<int[]> s = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) {
                continue;
            }
            int[] col = new int[strides.length];
            for (int k = 0; k < strides.length; k++) {
                col[k] = strides[k][i];
            }
            if (!d.isEmpty() && mergeable(s.get(s.size() - 1), col, dims[i])) {
                int last = d.size() - 1;
                d.set(last, d.get(last) * dims[i]);
                s.set(last, col);
            } else {
                d.add(dims[i]);
                s.add(col);
            }
        }
        this.dims = d.stream().mapToInt(Integer::intValue).toArray();
        this.strides = new int[strides.length][this.dims.length];
        for (int i = 0; i < this.dims.length; i++) {
            for (int k = 0; k < strides.length; k++) {
                this.strides[k][i] = s.get(i)[k];
            }
        }
        this.bases = bases.clone();
    }

    /** Row-major strides of a shape. */
    public static int[] rowMajor(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Strides of a tensor of shape {@code shape} broadcast (right-aligned) against {@code target}: the
     * row-major stride, or 0 where the tensor has extent 1 or lacks the axis.
     */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = rowMajor(shape);
        int[] s = new int[target.length];
        int offset = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            s[i + offset] = shape[i] == 1 ? 0 : own[i];
        }
        return s;
    }

    /** Writes the innermost statements, given each operand's index expression there. */
    @FunctionalInterface
    public interface Body {
        void write(CodeWriter w, String[] index);
    }

    /** Emits the nest with {@code body} at the innermost position. */
    public void emit(CodeWriter w, String varPrefix, Body body) {
        String[] vars = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            vars[i] = varPrefix + i;
            w.loop(vars[i], 0, dims[i]);
        }
        String[] index = new String[bases.length];
        for (int k = 0; k < bases.length; k++) {
            index[k] = Index.plus(bases[k], Index.linear(0, vars, strides[k]));
        }
        body.write(w, index);
        for (int i = 0; i < dims.length; i++) {
            w.close();
        }
    }

    /** Whether loop {@code inner} (extent {@code extent}) can fold into the previous loop {@code outer}. */
    private static boolean mergeable(int[] outer, int[] inner, int extent) {
        for (int k = 0; k < outer.length; k++) {
            if (outer[k] != inner[k] * extent) {
                return false;
            }
        }
        return true;
    }
}
