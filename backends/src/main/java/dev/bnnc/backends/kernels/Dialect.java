package dev.bnnc.backends.kernels;

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

    /** Copies {@code length} floats between arrays (which may be the same array, not overlapping). */
    String copy(String src, String srcOffset, String dst, String dstOffset, int length);
}
