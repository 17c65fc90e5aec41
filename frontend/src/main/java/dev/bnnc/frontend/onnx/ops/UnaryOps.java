package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.Map;
import java.util.Optional;

/** Element-wise functions of one input: activations and math functions. */
final class UnaryOps {
    private static final Map<String, UnaryFn> FUNCTIONS = Map.ofEntries(
            Map.entry("Relu", UnaryFn.RELU),
            Map.entry("Sigmoid", UnaryFn.SIGMOID),
            Map.entry("Tanh", UnaryFn.TANH),
            Map.entry("Exp", UnaryFn.EXP),
            Map.entry("Log", UnaryFn.LOG),
            Map.entry("Sqrt", UnaryFn.SQRT),
            Map.entry("Neg", UnaryFn.NEG),
            Map.entry("Abs", UnaryFn.ABS),
            Map.entry("Sign", UnaryFn.SIGN),
            Map.entry("Softplus", UnaryFn.SOFTPLUS),
            Map.entry("Softsign", UnaryFn.SOFTSIGN),
            Map.entry("Reciprocal", UnaryFn.RECIPROCAL),
            Map.entry("Floor", UnaryFn.FLOOR),
            Map.entry("Ceil", UnaryFn.CEIL),
            Map.entry("Round", UnaryFn.ROUND));

    /** Clip's implicit bounds before opset 11 (the schema's defaults, ±FLT_MAX). */
    private static final float LEGACY_CLIP_BOUND = Float.MAX_VALUE;

    private UnaryOps() {}

    static void register(ConverterTable.Builder b) {
        FUNCTIONS.forEach((opType, fn) -> b.add(opType, (n, ctx) -> ctx.emit(n, new Unary(fn), ctx.input(n, 0))));
        b.add("LeakyRelu", (n, ctx) -> ctx.emit(n, new LeakyRelu(n.floatAttr("alpha", 0.01f)), ctx.input(n, 0)));
        b.add("Elu", (n, ctx) -> ctx.emit(n, new Elu(n.floatAttr("alpha", 1f)), ctx.input(n, 0)));
        b.add("Selu", (n, ctx) -> ctx.emit(n,
                new Selu(n.floatAttr("alpha", 1.67326319217681884765625f), n.floatAttr("gamma", 1.05070102214813232421875f)),
                ctx.input(n, 0)));
        b.add("Clip", UnaryOps::clip);
    }

    /** Bounds are attributes before opset 11, optional constant inputs from then on (absent: unbounded). */
    private static void clip(OnnxNode n, ImportContext ctx) {
        float min;
        float max;
        if (ctx.opset() < 11) {
            min = n.floatAttr("min", -LEGACY_CLIP_BOUND);
            max = n.floatAttr("max", LEGACY_CLIP_BOUND);
        } else {
            min = bound(n, ctx, 1, "min").orElse(Float.NEGATIVE_INFINITY);
            max = bound(n, ctx, 2, "max").orElse(Float.POSITIVE_INFINITY);
        }
        ctx.emit(n, new Clip(min, max), ctx.input(n, 0));
    }

    private static Optional<Float> bound(OnnxNode n, ImportContext ctx, int input, String role) {
        return ctx.optionalConstantInput(n, input, role).map(t -> {
            if (t.size() != 1) {
                throw n.error(role + " must be a scalar, has shape " + t.shape());
            }
            return t.floatAt(0);
        });
    }
}
