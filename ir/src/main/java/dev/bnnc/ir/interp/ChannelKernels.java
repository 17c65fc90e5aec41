package dev.bnnc.ir.interp;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.ChannelAffine;

/** Per-channel maps: BatchNorm at inference and ChannelAffine, evaluated in float in the order written. */
final class ChannelKernels {
    private ChannelKernels() {}

    /** {@code (x − mean[c]) / (float) sqrt(var[c] + epsilon) · scale[c] + bias[c]}, channels on axis 1. */
    static Tensor batchNorm(BatchNorm op, KernelCall call) {
        float[] x = call.input(0).toFloatArray();
        float[] scale = call.input(1).toFloatArray();
        float[] bias = call.input(2).toFloatArray();
        float[] mean = call.input(3).toFloatArray();
        float[] var = call.input(4).toFloatArray();
        Shape shape = call.input(0).shape();
        int channels = shape.dim(1);
        int inner = shape.sizeOf(2, shape.rank());
        float[] deviation = new float[channels];
        for (int c = 0; c < channels; c++) {
            deviation[c] = (float) Math.sqrt(var[c] + op.epsilon());
        }
        for (int i = 0; i < x.length; i++) {
            int c = i / inner % channels;
            x[i] = (x[i] - mean[c]) / deviation[c] * scale[c] + bias[c];
        }
        return Tensor.adoptFloats(shape, x);
    }

    /** {@code x·scale[c] + shift[c]}, c the index along the op's axis. */
    static Tensor channelAffine(ChannelAffine op, KernelCall call) {
        float[] x = call.input(0).toFloatArray();
        float[] scale = call.input(1).toFloatArray();
        float[] shift = call.input(2).toFloatArray();
        Shape shape = call.input(0).shape();
        int channels = shape.dim(op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        for (int i = 0; i < x.length; i++) {
            int c = i / inner % channels;
            x[i] = x[i] * scale[c] + shift[c];
        }
        return Tensor.adoptFloats(shape, x);
    }
}
