package dev.bnnc.ir.interp;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import java.util.Arrays;

/**
 * Max and average pooling. Max takes {@link Math#max(float, float)} over the window positions
 * inside the input (padding acts as −∞); average sums them in float, ascending, and divides by the
 * divisor {@link Window#paddedCount} with {@code count_include_pad}, else by their number.
 */
final class PoolKernel {
    private PoolKernel() {}

    static Tensor pool(Pool op, KernelCall call) {
        Tensor xt = call.input(0);
        Shape outShape = call.outputType().shape();
        int[] xd = xt.shape().dims();
        int[] od = outShape.dims();
        int planes = xd[0] * xd[1];
        Window window = new Window(Arrays.copyOfRange(xd, 2, xd.length),
                op.kernel().stream().mapToInt(Integer::intValue).toArray(),
                Arrays.copyOfRange(od, 2, od.length), op.strides(), op.dilations(), op.pads());
        int inSize = window.inputSize();
        int outSize = window.outputSize();
        boolean max = op.kind() == PoolKind.MAX;

        float[] x = xt.toFloatArray();
        float[] y = new float[outShape.size()];
        int[] kernelIndex = new int[window.kernelSize()];
        int[] inputIndex = new int[window.kernelSize()];
        for (int p = 0; p < outSize; p++) {
            int taps = window.taps(p, kernelIndex, inputIndex);
            float divisor = op.countIncludePad() ? window.paddedCount(p) : taps;
            for (int plane = 0; plane < planes; plane++) {
                int base = plane * inSize;
                float acc = max ? Float.NEGATIVE_INFINITY : 0.0f;
                for (int t = 0; t < taps; t++) {
                    float v = x[base + inputIndex[t]];
                    acc = max ? Math.max(acc, v) : acc + v;
                }
                y[plane * outSize + p] = max ? acc : acc / divisor;
            }
        }
        return Tensor.adoptFloats(outShape, y);
    }
}
