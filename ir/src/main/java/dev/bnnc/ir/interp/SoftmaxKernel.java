package dev.bnnc.ir.interp;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Softmax;

/**
 * Softmax and log-softmax along one axis. With {@code m} the maximum along the axis,
 * {@code e_i = (float) exp(x_i − m)} and {@code s} their float sum in ascending order:
 * {@code y_i = e_i / s}, or {@code (x_i − m) − (float) log(s)} for the log form.
 */
final class SoftmaxKernel {
    private SoftmaxKernel() {}

    static Tensor softmax(Softmax op, KernelCall call) {
        float[] x = call.input(0).toFloatArray();
        Shape shape = call.input(0).shape();
        int len = shape.dim(op.axis());
        int inner = shape.sizeOf(op.axis() + 1, shape.rank());
        int outer = shape.sizeOf(0, op.axis());
        float[] y = new float[x.length];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < len; i++) {
                    m = Math.max(m, x[base + i * inner]);
                }
                float s = 0.0f;
                for (int i = 0; i < len; i++) {
                    float e = (float) Math.exp(x[base + i * inner] - m);
                    y[base + i * inner] = e;
                    s += e;
                }
                if (op.log()) {
                    float logS = (float) Math.log(s);
                    for (int i = 0; i < len; i++) {
                        y[base + i * inner] = (x[base + i * inner] - m) - logS;
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        y[base + i * inner] /= s;
                    }
                }
            }
        }
        return Tensor.adoptFloats(shape, y);
    }
}
