package dev.bnnc.ir.ops;

/** Parameterless element-wise functions; the semantics are ONNX's. */
public enum UnaryFn {
    /** {@code max(x, 0)} with Java's rules: NaN stays NaN (as in ONNX Runtime), -0 becomes +0. */
    RELU,
    SIGMOID,
    TANH,
    EXP,
    LOG,
    SQRT,
    NEG,
    ABS,
    /** -1, 0 or +1 ({@code Sign(0) = 0}, as in ONNX). */
    SIGN,
    /** +1 where {@code x >= 0}, else -1: QONNX BipolarQuant without its scale. */
    BIPOLAR,
    SOFTPLUS,
    SOFTSIGN,
    RECIPROCAL,
    FLOOR,
    CEIL,
    /** Round half to even, as ONNX Round. */
    ROUND;

    /** The function on one element; integer tensors are computed in double and truncated back. */
    public double apply(double x) {
        return switch (this) {
            case RELU -> Math.max(x, 0.0);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case BIPOLAR -> x >= 0 ? 1 : -1;
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case RECIPROCAL -> 1 / x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
        };
    }
}
