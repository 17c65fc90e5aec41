package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;

/**
 * QONNX (Brevitas, FINN) quantization ops. {@code BipolarQuant(x, scale)} is {@code +scale} where
 * {@code x >= 0} and {@code -scale} elsewhere (0 maps to +scale, unlike ONNX Sign); it imports as
 * {@code Bipolar(x) * scale}, which the binarize pass recognizes on weights and activations.
 */
final class QonnxOps {
    /** The domains Brevitas and QONNX have published BipolarQuant under. */
    static final String[] DOMAINS = {"onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general"};

    private QonnxOps() {}

    static void register(ConverterTable.Builder b) {
        for (String domain : DOMAINS) {
            b.add(domain, "BipolarQuant", QonnxOps::bipolarQuant);
        }
    }

    private static void bipolarQuant(OnnxNode n, ImportContext ctx) {
        var signs = ctx.emitStep(n, "bipolar", new Unary(UnaryFn.BIPOLAR), ctx.input(n, 0));
        ctx.emit(n, new Binary(BinaryFn.MUL), signs, ctx.input(n, 1));
    }
}
