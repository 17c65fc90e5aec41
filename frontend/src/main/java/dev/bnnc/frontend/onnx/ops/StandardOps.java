package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.ConverterTable;

/** Registers the converters for the standard ONNX ops (default domain) and QONNX's, one family at a time. */
public final class StandardOps {
    private StandardOps() {}

    public static ConverterTable.Builder registerAll(ConverterTable.Builder b) {
        ConstantOps.register(b);
        IdentityOps.register(b);
        CastOps.register(b);
        UnaryOps.register(b);
        BinaryOps.register(b);
        MatrixOps.register(b);
        ConvOps.register(b);
        PoolOps.register(b);
        NormalizationOps.register(b);
        SoftmaxOps.register(b);
        ReduceOps.register(b);
        ReshapeOps.register(b);
        TransposeOps.register(b);
        JoinSplitOps.register(b);
        SliceOps.register(b);
        PadOps.register(b);
        BroadcastOps.register(b);
        QonnxOps.register(b);
        return b;
    }
}
