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
    /** ONNX PRelu: {@code a} where non-negative, {@code b·a} below; the slope {@code b} broadcasts to {@code a}. */
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
            case PRELU -> a >= 0 ? a : a * b;
        };
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
