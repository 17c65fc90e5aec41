package dev.bnnc.backends.kernels;

import java.util.List;
import java.util.Optional;

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

    /**
     * {@link dev.bnnc.ir.ops.UnaryFn#RELU} of a float variable: NaN stays NaN, -0 becomes +0. This
     * default is one compare, which C compilers vectorize.
     */
    default String relu(String v) {
        return v + " <= 0.0f ? 0.0f : " + v;
    }

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

    /** A packed-sign word stored in {@code bits} bits (see {@link WeightStorage}), as a full word. */
    String widenWord(String element, int bits);

    /** Number of set bits of a word expression, as an int. */
    String popcount(String word);

    /** Logical (unsigned) right shift of a word expression. */
    String shiftRight(String word, String bits);

    /**
     * {@code ifNegative} if the sign bit of {@code v} is set, else {@code otherwise} (float
     * expressions free of side effects), without a branch.
     */
    String signSelect(String v, String ifNegative, String otherwise);

    /**
     * {@code v} times {@code slope} where the sign bit of v is set, else v: PRelu's and LeakyRelu's
     * rule ({@code v} a variable, {@code slope} free of side effects). This default multiplies v by
     * a select of slope or 1 (a product with 1 is exact), one product and a select of constants,
     * where the bits of floats move between register files (Java); a dialect whose compiler
     * vectorizes the select may select between v and its product instead.
     */
    default String slopeWhereNegative(String v, String slope) {
        return v + " * " + signSelect(v, slope, floatLiteral(1.0f));
    }

    /**
     * As {@link #slopeWhereNegative(String, String)} for a slope known to lie in (0, 1] ({@code
     * atMostOne}) or above 1: then {@code slope * v} lies between 0 and v, or beyond v, whatever
     * v's sign, so that the larger (the smaller) of v and its product is the rule's value, ±0, ±inf
     * and NaN included. The two are NaN together and zeros of one sign together, so a dialect may
     * use any maximum that gives NaN for two NaNs (a vectorizable form); this default keeps the select.
     */
    default String slopeWhereNegative(String v, String slope, boolean atMostOne) {
        return slopeWhereNegative(v, slope);
    }

    /** The IEEE bits of a float expression, as an int. */
    String floatBits(String value);

    /**
     * A word expression, above bit 31 nonzero exactly when the IEEE bits {@code bits} (an int
     * variable) are ±0 or NaN: {@code (bits << 1) - 1} as unsigned is at least 0xff000000 only
     * then, and adding 0x01000000 carries out of 32 bits.
     */
    String zeroOrNanFlag(String bits);

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
     * How many accumulator rows {@link #multiplyAccumulate} should take at once (1 or 2): two share
     * each term's row loads (where a compiler vectorizes the loop, only as parts of one array, see
     * {@link #accumulatorsInOneArray}).
     */
    default int multiplyAccumulateRows() {
        return 1;
    }

    /**
     * Whether {@link #multiplyAccumulate}'s accumulator rows should be parts of one array: HotSpot
     * C2 vectorizes stores into one array at offsets it can tell apart, not into two arrays.
     */
    default boolean accumulatorsInOneArray() {
        return false;
    }

    /**
     * Writes {@code accs[k][j] += t.scales[k] * t.row[j + t.offset]} for every term t, in order, for
     * j in [0, length) (an int expression) and each accumulator k (one, or two sharing the rows'
     * loads): the hot loop of dense layers and convolutions (see {@link Accumulation}). This default
     * is the plain loop, one {@code +=} per term, which compilers may vectorize but never reorder; a
     * dialect may instead call a hand-vectorized helper, which may fuse each multiply and add (one
     * rounding instead of two).
     */
    default void multiplyAccumulate(CodeWriter w, List<AccumulatorRow> accs, String length, List<ScaledRow> terms) {
        w.loop("j", 0, length);
        if (terms.size() == 1 && accs.size() == 1) {
            w.line(accs.get(0).at("j") + " += " + product(terms.get(0), 0) + ";");
        } else {
            for (int k = 0; k < accs.size(); k++) {
                w.line("float a" + k + " = " + accs.get(k).at("j") + ";");
            }
            for (ScaledRow t : terms) {
                for (int k = 0; k < accs.size(); k++) {
                    w.line("a" + k + " += " + product(t, k) + ";");
                }
            }
            for (int k = 0; k < accs.size(); k++) {
                w.line(accs.get(k).at("j") + " = a" + k + ";");
            }
        }
        w.close();
    }

    /**
     * The lanes modulo which every row read in a {@link #multiplyAccumulate} loop should sit at the
     * accumulator's index (1: anywhere). JDK 17's HotSpot C2 packs a loop's float accesses into
     * vectors only where all of them share one offset modulo the vector width, so a loop reading
     * {@code x[j + 1]} into {@code acc[j]} stays scalar (JDK 25's vectorizes it).
     */
    default int alignedReadLanes() {
        return 1;
    }

    /**
     * How many output rows {@link #product} computes at once for a layer of {@code rows} rows (a
     * divisor of it), or 0 where the dialect has no such helper: then convolutions accumulate in
     * {@link #multiplyAccumulate} passes over rows in memory.
     */
    default int productRows(int rows) {
        return 0;
    }

    /**
     * Writes {@code acc[k * length + j] = w[k] * x[j] + w[rows + k] * x[length + j] + ...}, the terms
     * added one after another from zero (what {@link #multiplyAccumulate} passes give from zeroed
     * accumulators), for k in [0, rows) and j in [0, length): a block of output rows of a matrix
     * product with each block of columns summed in registers over all the terms, so that the
     * accumulators are never loaded or stored in between. The weights are interleaved, term by
     * term, so that each term's are loaded together. {@code acc}, {@code w} and {@code x} are
     * pointer expressions; {@code rows} one of {@link #productRows}'s answers.
     */
    default void product(CodeWriter w, String acc, int rows, int length, int terms, String weights, String x) {
        throw new UnsupportedOperationException("no product helper in this dialect");
    }

    /**
     * The helper, where the dialect has one, that sums one block of columns of {@link #product}'s
     * rows into an array of AVX-512 vectors, {@code helper(a, length, terms, w, x)} with {@code x}
     * at the block's first column: for steps that apply their tail to the sums in registers and
     * store them once (in the C dialect's AVX-512 sections).
     */
    default Optional<String> productBlock(int rows) {
        return Optional.empty();
    }

    private static String product(ScaledRow t, int k) {
        return t.scales().get(k) + " * " + t.row() + "[" + Index.plus("j", String.valueOf(t.offset())) + "]";
    }

    /**
     * Copies {@code length} (an int expression) elements between arrays of one type (which may be
     * the same array, not overlapping).
     */
    String copy(String src, String srcOffset, String dst, String dstOffset, String length);

    default String copy(String src, String srcOffset, String dst, String dstOffset, int length) {
        return copy(src, srcOffset, dst, dstOffset, String.valueOf(length));
    }
}
