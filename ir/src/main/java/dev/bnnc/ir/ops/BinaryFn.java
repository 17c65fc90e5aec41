package dev.bnnc.ir.ops;

/** Element-wise functions of two broadcast operands; the semantics are ONNX's. */
public enum BinaryFn {
    ADD,
    SUB,
    MUL,
    /** Division; on integers it truncates toward zero, as ONNX Div. */
    DIV,
    POW,
    MAX,
    MIN,
    /**
     * ONNX PRelu, {@code a} where non-negative and {@code b·a} below (the slope {@code b} broadcasts
     * to {@code a}), decided by the sign bit of {@code a}: generated code selects without a branch
     * (a data-dependent branch mispredicts on half the elements). Differs from ONNX only for
     * {@code a = -0} with a negative slope ({@code +0} instead of {@code -0}).
     */
    PRELU;

    /** The function on one pair of float elements. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case PRELU -> signSelect(a, a * b);
        };
    }

    /** {@code a} if its sign bit is clear, else {@code ifNegative}: PRelu's and LeakyRelu's rule. */
    public static double signSelect(double a, double ifNegative) {
        return Double.doubleToRawLongBits(a) < 0 ? ifNegative : a;
    }

    /** The function on one pair of integer elements. */
    public long apply(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (long) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case PRELU -> a >= 0 ? a : a * b;
        };
    }
}
