package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertClose;
import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.random;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Softmax;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    @Test
    void lastAxis() {
        Tensor x = f32(dims(2, 3), 1, 2, 3, 0, 0, 0);
        float third = 1f / 3;
        assertClose(f32(dims(2, 3), 0.09003057f, 0.24472847f, 0.66524096f, third, third, third),
                eval(new Softmax(1, false), x), 1e-7);
        assertClose(f32(dims(2, 3), -2.40760596f, -1.40760596f, -0.40760596f, -1.09861229f, -1.09861229f,
                -1.09861229f), eval(new Softmax(1, true), x), 1e-6);
    }

    @Test
    void subtractsTheMaximum() {
        assertTensor(f32(dims(2), 0.5f, 0.5f), eval(new Softmax(0, false), f32(dims(2), 1000, 1000)));
        assertClose(f32(dims(2), -1000, 0), eval(new Softmax(0, true), f32(dims(2), -1000, 0)), 1e-6);
    }

    @Test
    void innerAxis() {
        Tensor x = random(7, 2, 3, 4);
        for (boolean log : new boolean[] {false, true}) {
            float[] y = new float[x.size()];
            for (int a = 0; a < 2; a++) {
                for (int c = 0; c < 4; c++) {
                    double sum = 0;
                    for (int b = 0; b < 3; b++) {
                        sum += Math.exp(x.floatAt(a * 12 + b * 4 + c));
                    }
                    for (int b = 0; b < 3; b++) {
                        int i = a * 12 + b * 4 + c;
                        y[i] = (float) (log ? x.floatAt(i) - Math.log(sum) : Math.exp(x.floatAt(i)) / sum);
                    }
                }
            }
            assertClose(Tensor.ofFloats(x.shape(), y), eval(new Softmax(1, log), x), 1e-6);
        }
    }

    @Test
    void followsTheDocumentedOrder() {
        Tensor x = random(3, 5);
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < 5; i++) {
            m = Math.max(m, x.floatAt(i));
        }
        float[] e = new float[5];
        float s = 0;
        for (int i = 0; i < 5; i++) {
            e[i] = (float) Math.exp(x.floatAt(i) - m);
            s += e[i];
        }
        float[] y = new float[5];
        float[] logY = new float[5];
        for (int i = 0; i < 5; i++) {
            y[i] = e[i] / s;
            logY[i] = (x.floatAt(i) - m) - (float) Math.log(s);
        }
        assertTensor(Tensor.ofFloats(x.shape(), y), eval(new Softmax(0, false), x));
        assertTensor(Tensor.ofFloats(x.shape(), logY), eval(new Softmax(0, true), x));
    }
}
