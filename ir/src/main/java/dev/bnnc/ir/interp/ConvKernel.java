package dev.bnnc.ir.interp;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Conv;
import java.util.Arrays;

/**
 * N-d grouped convolution. Each output element is one float accumulator starting at 0: over the
 * input channels of its group ascending, then over kernel positions in row-major order (positions
 * in the padding skipped), then the bias is added.
 */
final class ConvKernel {
    private ConvKernel() {}

    static Tensor conv(Conv op, KernelCall call) {
        Tensor xt = call.input(0);
        Tensor wt = call.input(1);
        Shape outShape = call.outputType().shape();
        int[] xd = xt.shape().dims();
        int[] wd = wt.shape().dims();
        int[] od = outShape.dims();
        int batch = xd[0];
        int channels = xd[1];
        int filters = wd[0];
        int groupChannels = wd[1];
        int groupFilters = filters / op.group();
        Window window = new Window(Arrays.copyOfRange(xd, 2, xd.length), Arrays.copyOfRange(wd, 2, wd.length),
                Arrays.copyOfRange(od, 2, od.length), op.strides(), op.dilations(), op.pads());
        int inSize = window.inputSize();
        int kSize = window.kernelSize();
        int outSize = window.outputSize();

        float[] x = xt.toFloatArray();
        float[] w = wt.toFloatArray();
        float[] bias = call.has(2) ? call.input(2).toFloatArray() : null;
        float[] y = new float[outShape.size()];
        int[] kernelIndex = new int[kSize];
        int[] inputIndex = new int[kSize];
        for (int p = 0; p < outSize; p++) {
            int taps = window.taps(p, kernelIndex, inputIndex);
            for (int n = 0; n < batch; n++) {
                for (int m = 0; m < filters; m++) {
                    int firstChannel = m / groupFilters * groupChannels;
                    float acc = 0.0f;
                    for (int c = 0; c < groupChannels; c++) {
                        int xBase = (n * channels + firstChannel + c) * inSize;
                        int wBase = (m * groupChannels + c) * kSize;
                        for (int t = 0; t < taps; t++) {
                            acc += x[xBase + inputIndex[t]] * w[wBase + kernelIndex[t]];
                        }
                    }
                    if (bias != null) {
                        acc += bias[m];
                    }
                    y[(n * filters + m) * outSize + p] = acc;
                }
            }
        }
        return Tensor.adoptFloats(outShape, y);
    }
}
