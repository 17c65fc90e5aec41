package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.ops.Identity;

/** Identity, and Dropout, which is the identity at inference (its mask output is not supported). */
final class IdentityOps {
    private IdentityOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("Identity", (n, ctx) -> ctx.emit(n, new Identity(), ctx.input(n, 0)));
        b.add("Dropout", IdentityOps::dropout);
    }

    /** From opset 12 a {@code training_mode} input may switch dropout on; it must be a constant false. */
    private static void dropout(OnnxNode n, ImportContext ctx) {
        boolean training = ctx.opset() >= 12
                && ctx.optionalConstantInput(n, 2, "training_mode").map(t -> t.longAt(0) != 0).orElse(false);
        if (training) {
            throw n.unsupported("training_mode = true");
        }
        ctx.emit(n, new Identity(), ctx.input(n, 0));
    }
}
