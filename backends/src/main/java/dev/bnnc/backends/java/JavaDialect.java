package dev.bnnc.backends.java;

import dev.bnnc.backends.kernels.Dialect;

/** Java 8 spelling of the kernel language. */
final class JavaDialect implements Dialect {
    static final JavaDialect INSTANCE = new JavaDialect();

    private JavaDialect() {}

    @Override
    public String floatLiteral(float value) {
        if (Float.isNaN(value)) {
            return "Float.NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return Float.toString(value) + "f";
    }

    @Override
    public String math(String function, String... args) {
        return "Math." + function + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String fabs(String v) {
        return "Math.abs(" + v + ")";
    }

    @Override
    public String fmax(String a, String b) {
        return "Math.max(" + a + ", " + b + ")";
    }

    @Override
    public String fmin(String a, String b) {
        return "Math.min(" + a + ", " + b + ")";
    }

    /** HotSpot compiles a float select to a branch, which mispredicts on ReLU's inputs; Math.max it vectorizes. */
    @Override
    public String relu(String v) {
        return "Math.max(" + v + ", 0.0f)";
    }

    @Override
    public String imax(String a, String b) {
        return "Math.max(" + a + ", " + b + ")";
    }

    @Override
    public String imin(String a, String b) {
        return "Math.min(" + a + ", " + b + ")";
    }

    @Override
    public String booleanType() {
        return "boolean";
    }

    @Override
    public String wordType() {
        return "long";
    }

    @Override
    public String word(long value) {
        return "0x" + Long.toHexString(value) + "L";
    }

    /** Java's integers are signed: a narrow element widens with a mask. */
    @Override
    public String widenWord(String element, int bits) {
        return switch (bits) {
            case 8 -> "(" + element + " & 0xffL)";
            case 16 -> "(" + element + " & 0xffffL)";
            case 32 -> "(" + element + " & 0xffffffffL)";
            default -> element;
        };
    }

    @Override
    public String popcount(String word) {
        return "Long.bitCount(" + word + ")";
    }

    @Override
    public String shiftRight(String word, String bits) {
        return "(" + word + " >>> " + bits + ")";
    }

    @Override
    public String signSelect(String v, String ifNegative, String otherwise) {
        String o = floatBits(otherwise);
        return "Float.intBitsToFloat(" + o + " ^ ((" + o + " ^ " + floatBits(ifNegative) + ") & (" + floatBits(v) + " >> 31)))";
    }

    /** {@code Math.max} / {@code Math.min}: C2 vectorizes them, not the moves of float bits of the select. */
    @Override
    public String slopeWhereNegative(String v, String slope, boolean atMostOne) {
        return "Math." + (atMostOne ? "max" : "min") + "(" + v + ", " + slope + " * " + v + ")";
    }

    @Override
    public String floatBits(String value) {
        return "Float.floatToRawIntBits(" + value + ")";
    }

    @Override
    public String zeroOrNanFlag(String bits) {
        return "(((long) (" + bits + " + " + bits + " - 1) & 0xffffffffL) + 0x1000000L)";
    }

    @Override
    public String negativeBit(String value) {
        return "((" + value + ") >>> 31)";
    }

    @Override
    public String rowRef(String table, String row, int length) {
        return table + "[" + row + "]";
    }

    @Override
    public String rowDecl(String var, String table, String row, int length, boolean writable) {
        return "float[] " + var + " = " + table + "[" + row + "];";
    }

    /** Two rows, in one array (see {@link #accumulatorsInOneArray}): each term's row loaded once for both. */
    @Override
    public int multiplyAccumulateRows() {
        return 2;
    }

    @Override
    public boolean accumulatorsInOneArray() {
        return true;
    }

    /** C2's widest float vector: 16 lanes of AVX-512. */
    @Override
    public int alignedReadLanes() {
        return 16;
    }

    @Override
    public String copy(String src, String srcOffset, String dst, String dstOffset, String length) {
        return "System.arraycopy(" + src + ", " + srcOffset + ", " + dst + ", " + dstOffset + ", " + length + ");";
    }
}
