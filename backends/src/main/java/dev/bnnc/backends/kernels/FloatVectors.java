package dev.bnnc.backends.kernels;

import java.util.List;

/**
 * One instruction set's float vectors, as C expressions: what {@link LaneTail} needs to compute a
 * binary layer's affine map and element-wise tail on a vector of lanes. Every operation rounds as
 * the portable scalar code does (no fused multiply-add).
 */
interface FloatVectors {
    /** Lanes per vector. */
    int width();

    /** The C type of a vector. */
    String type();

    String dup(String scalar);

    String load(String pointer);

    String add(String a, String b);

    String sub(String a, String b);

    String mul(String a, String b);

    String div(String a, String b);

    /** {@code v > 0 ? v : 0} lane by lane (NaN and -0 to +0, as the portable code). */
    String relu(String v);

    /** {@code v} where its sign bit is clear, else {@code ifNegative}: PRelu's rule. */
    String signSelect(String v, String ifNegative);

    /** The statement storing {@code v} at {@code pointer}. */
    String store(String pointer, String v);

    /** The lanes' elements {@code stride} apart from {@code pointer}. */
    String gather(String pointer, int stride);

    /** The statements storing the lanes of {@code v} {@code stride} apart from {@code pointer}. */
    List<String> scatter(String pointer, int stride, String v);
}
