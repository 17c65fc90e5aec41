package dev.bnnc.backends.kernels;

import java.util.List;
import java.util.function.BiFunction;

/**
 * One instruction set's float vectors, as C: what {@link LaneTail} needs to compute a binary
 * layer's affine map and element-wise tail on a vector of lanes. Every operation rounds as the
 * portable scalar code does (no fused multiply-add).
 *
 * @param type        the C type of a vector
 * @param arithmetic  the name of the lane-wise operation {@code %s} (add, sub, mul, div) on two vectors
 * @param dup         the function making a vector of one scalar
 * @param load        the function loading consecutive lanes from a pointer
 * @param store       the function storing them, {@code store(pointer, v)}
 * @param relu        {@link dev.bnnc.ir.ops.UnaryFn#RELU} lane by lane (NaN stays NaN, -0 becomes +0) of {@code %1$s}
 * @param signSelect  {@code %1$s} where its sign bit is clear, else {@code %2$s}: PRelu's rule
 * @param gather      the lanes' elements {@code stride} apart from a pointer
 * @param scatter     the statements storing the lanes of a vector {@code stride} apart from a pointer
 */
record FloatVectors(String type, String arithmetic, String dup, String load, String store, String relu, String signSelect,
        BiFunction<String, Integer, String> gather, Scatter scatter) {
    /** Statements storing the lanes of {@code v} {@code stride} apart from {@code pointer}. */
    @FunctionalInterface
    interface Scatter {
        List<String> stores(String pointer, int stride, String v);
    }

    String add(String a, String b) {
        return lanewise("add", a, b);
    }

    String sub(String a, String b) {
        return lanewise("sub", a, b);
    }

    String mul(String a, String b) {
        return lanewise("mul", a, b);
    }

    String div(String a, String b) {
        return lanewise("div", a, b);
    }

    /**
     * The lane-wise maximum. Where a lane is NaN, NEON's fmax gives NaN and SSE's maxps its second
     * operand: callers pass operands that are NaN in the same lanes.
     */
    String max(String a, String b) {
        return lanewise("max", a, b);
    }

    /** The lane-wise minimum, NaN as for {@link #max}. */
    String min(String a, String b) {
        return lanewise("min", a, b);
    }

    String dup(String scalar) {
        return dup + "(" + scalar + ")";
    }

    String load(String pointer) {
        return load + "(" + pointer + ")";
    }

    String store(String pointer, String v) {
        return store + "(" + pointer + ", " + v + ");";
    }

    String relu(String v) {
        return String.format(relu, v);
    }

    String signSelect(String v, String ifNegative) {
        return String.format(signSelect, v, ifNegative);
    }

    private String lanewise(String op, String a, String b) {
        return String.format(arithmetic, op) + "(" + a + ", " + b + ")";
    }
}
