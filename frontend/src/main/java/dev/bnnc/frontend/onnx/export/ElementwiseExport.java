package dev.bnnc.frontend.onnx.export;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;

/** Element-wise ops: each is one ONNX op of the same name, except Bipolar. */
final class ElementwiseExport {
    private ElementwiseExport() {}

    static void unary(Unary op, Node n, ExportContext ctx) {
        String x = ctx.name(n.input(0));
        if (op.fn() == UnaryFn.BIPOLAR) {
            bipolar(n, x, ctx);
            return;
        }
        ctx.emit(n, onnxName(op.fn()), x);
    }

    /**
     * {@code Sign(Sign(x) + 0.5)}: Sign gives -1, 0 or +1, and the half moves 0 (from {@code ±0})
     * to +1. Standard ops that the importer reads back, as comparisons and Where are not: the IR
     * has no booleans. A NaN stays NaN, where the IR gives -1.
     */
    static void bipolar(Node n, String x, ExportContext ctx) {
        String sign = ctx.step(n, "sign", "Sign", x);
        String shifted = ctx.step(n, "zero_up", "Add", sign, ctx.scalar(n, "half", DType.F32, 0.5));
        ctx.emit(n, "Sign", shifted);
    }

    private static String onnxName(UnaryFn fn) {
        return switch (fn) {
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case EXP -> "Exp";
            case LOG -> "Log";
            case SQRT -> "Sqrt";
            case NEG -> "Neg";
            case ABS -> "Abs";
            case SIGN -> "Sign";
            case SOFTPLUS -> "Softplus";
            case SOFTSIGN -> "Softsign";
            case RECIPROCAL -> "Reciprocal";
            case FLOOR -> "Floor";
            case CEIL -> "Ceil";
            case ROUND -> "Round";
            case BIPOLAR -> throw new IllegalStateException("Bipolar has no ONNX op of its own");
        };
    }

    static void leakyRelu(LeakyRelu op, Node n, ExportContext ctx) {
        ctx.emit(n, "LeakyRelu", ctx.name(n.input(0))).floatAttr("alpha", op.alpha());
    }

    static void elu(Elu op, Node n, ExportContext ctx) {
        ctx.emit(n, "Elu", ctx.name(n.input(0))).floatAttr("alpha", op.alpha());
    }

    static void selu(Selu op, Node n, ExportContext ctx) {
        ctx.emit(n, "Selu", ctx.name(n.input(0))).floatAttr("alpha", op.alpha()).floatAttr("gamma", op.gamma());
    }

    /** Both bounds as inputs; an infinite one bounds nothing, as in the IR. */
    static void clip(Clip op, Node n, ExportContext ctx) {
        ctx.emit(n, "Clip", ctx.name(n.input(0)), ctx.scalar(n, "min", DType.F32, op.min()),
                ctx.scalar(n, "max", DType.F32, op.max()));
    }

    static void binary(Binary op, Node n, ExportContext ctx) {
        ctx.emit(n, onnxName(op.fn()), ctx.names(n.inputs()));
    }

    private static String onnxName(BinaryFn fn) {
        return switch (fn) {
            case ADD -> "Add";
            case SUB -> "Sub";
            case MUL -> "Mul";
            case DIV -> "Div";
            case POW -> "Pow";
            case MAX -> "Max";
            case MIN -> "Min";
            case PRELU -> "PRelu";
        };
    }

    static void cast(Cast op, Node n, ExportContext ctx) {
        ctx.emit(n, "Cast", ctx.name(n.input(0)))
                .intAttr("to", ExportContext.elementType(n.output()).onnx().getNumber());
    }

    static void identity(Node n, ExportContext ctx) {
        ctx.emit(n, "Identity", ctx.name(n.input(0)));
    }
}
