package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.frontend.onnx.OpConverter;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.Identity;
import java.util.List;

/**
 * Element-wise functions of two broadcast operands, and the variadic Sum, Mean, Max and Min, which
 * become a chain of binary nodes.
 */
final class BinaryOps {
    private BinaryOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Add", binary(BinaryFn.ADD));
        b.add("Sub", binary(BinaryFn.SUB));
        b.add("Mul", binary(BinaryFn.MUL));
        b.add("Div", binary(BinaryFn.DIV));
        b.add("PRelu", binary(BinaryFn.PRELU));
        b.add("Pow", BinaryOps::pow);
        b.add("Max", (n, ctx) -> chain(n, ctx, BinaryFn.MAX, false));
        b.add("Min", (n, ctx) -> chain(n, ctx, BinaryFn.MIN, false));
        b.add("Sum", (n, ctx) -> chain(n, ctx, BinaryFn.ADD, false));
        b.add("Mean", (n, ctx) -> chain(n, ctx, BinaryFn.ADD, true));
    }

    private static OpConverter binary(BinaryFn fn) {
        return (n, ctx) -> ctx.emit(n, new Binary(fn), ctx.input(n, 0), ctx.input(n, 1));
    }

    /**
     * ONNX Pow lets the exponent have its own type (from opset 12): an integer exponent of a float
     * base is converted to float, which is exact for the exponents models use.
     */
    private static void pow(OnnxNode n, ImportContext ctx) {
        Value base = ctx.input(n, 0);
        Value exponent = ctx.input(n, 1);
        if (base.type().dtype() != exponent.type().dtype()) {
            if (base.type().dtype() != DType.F32) {
                throw n.unsupported("an integer base with a float exponent");
            }
            exponent = ctx.emitStep(n, "exponent", new Cast(DType.F32), exponent);
        }
        ctx.emit(n, new Binary(BinaryFn.POW), base, exponent);
    }

    /** Folds the inputs left to right; Mean divides the sum by the input count. */
    private static void chain(OnnxNode n, ImportContext ctx, BinaryFn fn, boolean mean) {
        List<Value> in = ctx.inputs(n);
        if (in.isEmpty()) {
            throw n.error("needs at least one input");
        }
        if (in.size() == 1 && !mean) {
            ctx.emit(n, new Identity(), in.get(0));
            return;
        }
        Value acc = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            boolean last = !mean && i == in.size() - 1;
            acc = last ? ctx.emit(n, new Binary(fn), acc, in.get(i))
                    : ctx.emitStep(n, "acc" + i, new Binary(fn), acc, in.get(i));
        }
        if (mean) {
            Tensor count = acc.type().dtype() == DType.F32 ? Tensor.scalar(in.size())
                    : Tensor.ofLongs(Shape.scalar(), in.size());
            ctx.emit(n, new Binary(BinaryFn.DIV), acc, ctx.emitConstant(n, "count", count));
        }
    }
}
