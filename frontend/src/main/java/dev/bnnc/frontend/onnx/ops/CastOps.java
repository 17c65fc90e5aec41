package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxElementType;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;

/**
 * Cast onto the IR's two element types: float and double targets become f32, integer targets i64.
 * What the IR cannot reproduce is refused: half-precision targets (their rounding would be lost).
 * Integer targets narrower than 64 bits are imported as i64, so a value outside the target's range
 * does not wrap around as it would in ONNX Runtime; models cast shapes and indices, which fit.
 */
final class CastOps {
    private CastOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Cast", CastOps::cast);
    }

    private static void cast(OnnxNode n, ImportContext ctx) {
        int to = (int) n.requiredIntAttr("to");
        OnnxElementType target = OnnxElementType.of(to)
                .orElseThrow(() -> n.unsupported("a cast to " + OnnxElementType.onnxName(to)));
        if (target == OnnxElementType.FLOAT16 || target == OnnxElementType.BFLOAT16) {
            throw n.unsupported("a cast to " + target.onnx());
        }
        Value x = ctx.input(n, 0);
        if (target == OnnxElementType.BOOL) {
            // bool(x) is 1 for any non-zero x, where an integer cast truncates: Sign(|x|) is that flag.
            Value magnitude = ctx.emitStep(n, "magnitude", new Unary(UnaryFn.ABS), x);
            x = ctx.emitStep(n, "nonzero", new Unary(UnaryFn.SIGN), magnitude);
        }
        ctx.emit(n, new Cast(target.dtype()), x);
    }
}
