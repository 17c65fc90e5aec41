package dev.bnnc.backends.kernels;

import java.util.List;

/**
 * The differences between the target languages that kernel bodies are written in. Java and C share
 * statement syntax, so each kernel is written once and rendered for both.
 */
public interface Dialect {
    /** An exact float literal (including infinities and NaN). */
    String floatLiteral(float value);

    /** A call of a double-precision math function ({@code exp}, {@code log}, {@code sqrt}, ...) on a double expression. */
    String math(String function, String... args);

    /** Absolute value of a float expression, as a float. */
    String fabs(String v);

    /** {@code max} of two float expressions with the same NaN and signed-zero rules as Java's Math.max. */
    String fmax(String a, String b);

    String fmin(String a, String b);

    /** Larger of two int expressions. */
    String imax(String a, String b);

    String imin(String a, String b);

    /**
     * Row {@code row} of a row table (rows of {@code length} floats) as an array expression that
     * {@link #copy} accepts.
     */
    String rowRef(String table, String row, int length);

    /**
     * Declares {@code var} as row {@code row} of a row table. Innermost loops index such rows with
     * {@code [j + constant]} only, so that the compiler can prove they do not overlap and vectorize
     * (distinct Java arrays; {@code restrict} pointers in C).
     */
    String rowDecl(String var, String table, String row, int length, boolean writable);

    /** The type of a local flag (a condition tested with {@code if}). */
    String booleanType();

    /** The type of a 64-bit word of packed signs. */
    String wordType();

    /** A word literal. */
    String word(long value);

    /** Number of set bits of a word expression, as an int. */
    String popcount(String word);

    /** Logical (unsigned) right shift of a word expression. */
    String shiftRight(String word, String bits);

    /**
     * {@code v} if its sign bit is clear, else {@code ifNegative} (both float expressions, {@code v}
     * free of side effects), without a branch.
     */
    String signSelect(String v, String ifNegative);

    /** The IEEE bits of a float expression, as an int. */
    String floatBits(String value);

    /** 1 if the int expression is negative, else 0 (its sign bit), as an int. */
    String negativeBit(String value);

    /**
     * How many terms {@link #multiplyAccumulate} takes at most: each pass over the accumulators loads
     * and stores them once, so more terms per pass mean less memory traffic, as far as registers
     * hold the terms' scales and pointers.
     */
    default int multiplyAccumulateTerms() {
        return 4;
    }

    /**
     * Writes {@code acc[j] += t.scale * t.row[j + t.offset]} for every term t, in order, for j in
     * [0, length) (an int expression): the hot loop of dense layers and convolutions (see
     * {@link Accumulation}). This default is the plain loop, one {@code +=} per term, which compilers may vectorize but never
     * reorder; a dialect may instead call a hand-vectorized helper, which may fuse each multiply
     * and add (one rounding instead of two).
     */
    default void multiplyAccumulate(CodeWriter w, String acc, String length, List<ScaledRow> terms) {
        w.loop("j", 0, length);
        if (terms.size() == 1) {
            w.line(acc + "[j] += " + product(terms.get(0)) + ";");
        } else {
            w.line("float a = " + acc + "[j];");
            for (ScaledRow t : terms) {
                w.line("a += " + product(t) + ";");
            }
            w.line(acc + "[j] = a;");
        }
        w.close();
    }

    private static String product(ScaledRow t) {
        return t.scale() + " * " + t.row() + "[" + Index.plus("j", String.valueOf(t.offset())) + "]";
    }

    /**
     * Copies {@code length} (an int expression) floats between arrays (which may be the same array,
     * not overlapping).
     */
    String copy(String src, String srcOffset, String dst, String dstOffset, String length);

    default String copy(String src, String srcOffset, String dst, String dstOffset, int length) {
        return copy(src, srcOffset, dst, dstOffset, String.valueOf(length));
    }
}
