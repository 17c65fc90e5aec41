package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.AccumulatorRow;
import dev.bnnc.backends.kernels.CodeWriter;
import dev.bnnc.backends.kernels.Dialect;
import dev.bnnc.backends.kernels.ScaledRow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * C99 spelling of the kernel language. Math functions are libm's double-precision ones, as the
 * interpreter computes in double; helpers that C lacks as operators ({@code max} with Java's NaN
 * rule, popcount, the multiply-accumulate pass) are static inline functions that {@link CHelpers}
 * emits once per file, only those a model uses.
 */
final class CDialect implements Dialect {
    private final CHelpers helpers;

    CDialect(CHelpers helpers) {
        this.helpers = helpers;
    }

    /** Exact: a decimal where it is exactly the float, else a hexadecimal float literal. */
    @Override
    public String floatLiteral(float value) {
        if (Float.isFinite(value)) {
            String decimal = Float.toString(value);
            if (new BigDecimal(decimal).compareTo(new BigDecimal(value)) == 0) {
                return decimal + "f";
            }
        }
        return CWeights.floatLiteral(value);
    }

    @Override
    public String math(String function, String... args) {
        return function + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String fabs(String v) {
        return "fabsf(" + v + ")";
    }

    /**
     * Java's NaN rule (a NaN operand gives NaN, where C's fmaxf would return the other operand) at
     * the cost of one compare; signed zeros are not ordered ({@code max(+0, -0)} may be -0).
     */
    @Override
    public String fmax(String a, String b) {
        return helpers.call(CHelpers.Helper.FMAX, a, b);
    }

    @Override
    public String fmin(String a, String b) {
        return helpers.call(CHelpers.Helper.FMIN, a, b);
    }

    @Override
    public String imax(String a, String b) {
        return helpers.call(CHelpers.Helper.IMAX, a, b);
    }

    @Override
    public String imin(String a, String b) {
        return helpers.call(CHelpers.Helper.IMIN, a, b);
    }

    /** Rows of a table are {@code length} floats apart: a table is one flat array in C. */
    @Override
    public String rowRef(String table, String row, int length) {
        if (row.equals("0")) {
            return table;
        }
        return "(" + table + " + " + factor(row) + " * " + length + ")";
    }

    @Override
    public String rowDecl(String var, String table, String row, int length, boolean writable) {
        String start = row.equals("0") ? table : table + " + " + factor(row) + " * " + length;
        return (writable ? "float" : "const float") + " *restrict " + var + " = " + start + ";";
    }

    private static String factor(String expression) {
        return expression.matches("[A-Za-z0-9_]+") ? expression : "(" + expression + ")";
    }

    @Override
    public String booleanType() {
        return "int";
    }

    @Override
    public String wordType() {
        return "uint64_t";
    }

    @Override
    public String word(long value) {
        return "UINT64_C(0x" + Long.toHexString(value) + ")";
    }

    @Override
    public String widenWord(String element, int bits) {
        return bits == 64 ? element : "((uint64_t) " + element + ")";
    }

    @Override
    public String popcount(String word) {
        return helpers.call(CHelpers.Helper.POPCOUNT, word);
    }

    @Override
    public String shiftRight(String word, String bits) {
        return "((" + word + ") >> (" + bits + "))";
    }

    /** Branch-free through the IEEE bits (see {@link CHelpers.Helper#SIGN_SELECT}). */
    @Override
    public String signSelect(String v, String ifNegative, String otherwise) {
        return helpers.call(CHelpers.Helper.SIGN_SELECT, v, ifNegative, otherwise);
    }

    /** A select between v and its product, which compilers vectorize as a bit-select. */
    @Override
    public String slopeWhereNegative(String v, String slope) {
        return signSelect(v, slope + " * " + v, v);
    }

    /** One instruction where compilers have one (see {@link CHelpers.Helper#PAIRED_MAX}). */
    @Override
    public String slopeWhereNegative(String v, String slope, boolean atMostOne) {
        return helpers.call(atMostOne ? CHelpers.Helper.PAIRED_MAX : CHelpers.Helper.PAIRED_MIN, v, slope + " * " + v);
    }

    @Override
    public String floatBits(String value) {
        return helpers.call(CHelpers.Helper.FLOAT_BITS, value);
    }

    @Override
    public String zeroOrNanFlag(String bits) {
        return "((uint64_t) ((uint32_t) " + bits + " * 2u - 1u) + 0x1000000u)";
    }

    @Override
    public String negativeBit(String value) {
        return "((int) ((uint32_t) (" + value + ") >> 31))";
    }

    @Override
    public String copy(String src, String srcOffset, String dst, String dstOffset, String length) {
        String to = offsetPointer(dst, dstOffset);
        return "memcpy(" + to + ", " + offsetPointer(src, srcOffset) + ", " + length + " * sizeof (" + to + ")[0]);";
    }

    private static String offsetPointer(String array, String offset) {
        return offset.equals("0") ? array : array + " + " + offset;
    }

    @Override
    public int multiplyAccumulateTerms() {
        return CHelpers.MAX_TERMS;
    }

    @Override
    public int multiplyAccumulateRows() {
        return 2;
    }

    /** Blocks of up to 8 rows: 8 accumulator vectors (16 with NEON), with room left for the terms. */
    @Override
    public int productRows(int rows) {
        int block = 8;
        while (rows % block != 0) {
            block /= 2;
        }
        return block;
    }

    @Override
    public void product(CodeWriter w, String acc, int rows, int length, int terms, String weights, String x) {
        w.line(helpers.product(rows) + "(" + acc + ", " + length + ", " + terms + ", " + weights + ", " + x + ");");
    }

    @Override
    public Optional<String> productBlock(int rows) {
        return Optional.of(helpers.productBlock(rows));
    }

    /** A call of the vectorized pass for this many accumulators and terms (NEON on A64, see {@link CHelpers}). */
    @Override
    public void multiplyAccumulate(CodeWriter w, List<AccumulatorRow> accs, String length, List<ScaledRow> terms) {
        StringBuilder args = new StringBuilder();
        for (AccumulatorRow acc : accs) {
            args.append(offsetPointer(acc.array(), acc.start())).append(", ");
        }
        args.append(length);
        for (ScaledRow t : terms) {
            for (String scale : t.scales()) {
                args.append(", ").append(scale);
            }
            args.append(", ").append(offsetPointer(t.row(), String.valueOf(t.offset())));
        }
        w.line(helpers.multiplyAccumulate(accs.size(), terms.size()) + "(" + args + ");");
    }
}
