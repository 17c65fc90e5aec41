package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;
import dev.bnnc.frontend.onnx.ImportContext;
import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.ops.BatchNorm;

/**
 * BatchNormalization in its inference form. The training outputs (running mean and variance, saved
 * statistics) are not supported; the importer fails only if the model reads them.
 */
final class NormalizationOps {
    private NormalizationOps() {}

    static void register(ConverterTable.Builder b) {
        b.add("BatchNormalization", NormalizationOps::batchNorm);
    }

    private static void batchNorm(OnnxNode n, ImportContext ctx) {
        // Opsets 7-8: spatial = 0 normalizes per activation, with statistics shaped like one sample.
        if (n.intAttr("spatial", 1) == 0) {
            throw n.unsupported("spatial = 0");
        }
        if (n.intAttr("training_mode", 0) != 0) {
            throw n.unsupported("training_mode = 1");
        }
        ctx.emit(n, new BatchNorm(n.floatAttr("epsilon", 1e-5f)), ctx.input(n, 0), ctx.input(n, 1),
                ctx.input(n, 2), ctx.input(n, 3), ctx.input(n, 4));
    }
}
