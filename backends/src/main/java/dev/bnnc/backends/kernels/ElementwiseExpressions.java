package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.Optional;

/**
 * Element-wise functions as target-language expressions of float variables. Each one computes
 * exactly what the interpreter's {@code apply} computes (in double where it does, then rounded), so
 * generated code and interpreter agree bit for bit.
 */
final class ElementwiseExpressions {
    private final Dialect d;

    ElementwiseExpressions(Dialect dialect) {
        this.d = dialect;
    }

    String unary(UnaryFn fn, String v) {
        // Math functions take doubles: a float argument widens implicitly, as the interpreter's does.
        return switch (fn) {
            case RELU -> d.relu(v);
            case SIGMOID -> "(float) (1.0 / (1.0 + " + d.math("exp", "-" + v) + "))";
            case TANH -> "(float) " + d.math("tanh", v);
            case EXP -> "(float) " + d.math("exp", v);
            case LOG -> "(float) " + d.math("log", v);
            case SQRT -> "(float) " + d.math("sqrt", v);
            case NEG -> "-" + v;
            case ABS -> d.fabs(v);
            case SIGN -> v + " > 0.0f ? 1.0f : (" + v + " < 0.0f ? -1.0f : " + v + ")";
            case BIPOLAR -> v + " >= 0.0f ? 1.0f : -1.0f";
            case SOFTPLUS -> v + " > 20.0f ? " + v + " : (float) " + d.math("log1p", d.math("exp", v));
            case SOFTSIGN -> "(float) (" + v + " / (1.0 + " + d.fabs(v) + "))";
            case RECIPROCAL -> "(float) (1.0 / " + v + ")";
            case FLOOR -> "(float) " + d.math("floor", v);
            case CEIL -> "(float) " + d.math("ceil", v);
            case ROUND -> "(float) " + d.math("rint", v);
        };
    }

    String leakyRelu(LeakyRelu op, String v) {
        return prelu(v, d.floatLiteral(op.alpha()), Optional.of(Tensor.scalar(op.alpha())));
    }

    /** PRelu of v with slope expression {@code slope}, whose values {@code slopes} gives where they are constant. */
    String prelu(String v, String slope, Optional<Tensor> slopes) {
        Optional<Boolean> atMostOne = slopeBound(slopes);
        return atMostOne.isPresent() ? d.slopeWhereNegative(v, slope, atMostOne.get()) : d.slopeWhereNegative(v, slope);
    }

    /**
     * For constant slopes: true if every one lies in (0, 1], false if every one is above 1, else
     * empty (see {@link Dialect#slopeWhereNegative(String, String, boolean)}).
     */
    static Optional<Boolean> slopeBound(Optional<Tensor> constantSlopes) {
        return constantSlopes.flatMap(ElementwiseExpressions::slopeBound);
    }

    private static Optional<Boolean> slopeBound(Tensor slopes) {
        boolean atMostOne = true;
        boolean aboveOne = true;
        for (int i = 0; i < slopes.size(); i++) {
            float h = slopes.floatAt(i);
            atMostOne &= h > 0 && h <= 1;
            aboveOne &= h > 1 && h < Float.POSITIVE_INFINITY;
        }
        return atMostOne ? Optional.of(true) : aboveOne ? Optional.of(false) : Optional.empty();
    }

    String elu(Elu op, String v) {
        return v + " >= 0.0f ? " + v + " : (float) (" + d.floatLiteral(op.alpha()) + " * (" + d.math("exp", v) + " - 1.0))";
    }

    String selu(Selu op, String v) {
        return "(float) (" + d.floatLiteral(op.gamma()) + " * (" + v + " > 0.0f ? " + v + " : "
                + d.floatLiteral(op.alpha()) + " * (" + d.math("exp", v) + " - 1.0)))";
    }

    String clip(Clip op, String v) {
        return d.fmin(d.fmax(v, d.floatLiteral(op.min())), d.floatLiteral(op.max()));
    }

    String binary(BinaryFn fn, String a, String b) {
        return binary(fn, a, b, Optional.empty());
    }

    /** As {@link #binary(BinaryFn, String, String)}, {@code bValues} the values of b where they are constant. */
    String binary(BinaryFn fn, String a, String b, Optional<Tensor> bValues) {
        return switch (fn) {
            case ADD -> a + " + " + b;
            case SUB -> a + " - " + b;
            case MUL -> a + " * " + b;
            case DIV -> a + " / " + b;
            case POW -> "(float) " + d.math("pow", a, b);
            case MAX -> d.fmax(a, b);
            case MIN -> d.fmin(a, b);
            case PRELU -> prelu(a, b, bValues);
        };
    }
}
