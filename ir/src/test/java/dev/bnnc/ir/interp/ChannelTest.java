package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.random;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.ChannelAffine;
import org.junit.jupiter.api.Test;

class ChannelTest {
    @Test
    void batchNormByHand() {
        Tensor x = f32(dims(1, 2, 1, 2), 1, 2, 3, 4);
        Tensor scale = f32(dims(2), 2, 0.5f);
        Tensor bias = f32(dims(2), 1, -1);
        Tensor mean = f32(dims(2), 1, 2);
        // var + epsilon = 4 and 16: deviations 2 and 4.
        assertTensor(f32(dims(1, 2, 1, 2), 1, 2, -0.875f, -0.75f),
                eval(new BatchNorm(0.25f), x, scale, bias, mean, f32(dims(2), 3.75f, 15.75f)));
        // Batch of two, rank 3.
        assertTensor(f32(dims(2, 2, 1), 1, -0.875f, 2, -0.75f),
                eval(new BatchNorm(0), f32(dims(2, 2, 1), 1, 3, 2, 4), scale, bias, mean, f32(dims(2), 4, 16)));
    }

    @Test
    void batchNormFollowsTheDocumentedOrder() {
        Tensor x = random(1, 2, 3, 5);
        Tensor scale = random(2, 3);
        Tensor bias = random(3, 3);
        Tensor mean = random(4, 3);
        Tensor var = f32(dims(3), 0.3f, 1.7f, 0.01f);
        float eps = 1e-5f;
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) {
            int c = i / 5 % 3;
            y[i] = (x.floatAt(i) - mean.floatAt(c)) / (float) Math.sqrt(var.floatAt(c) + eps) * scale.floatAt(c)
                    + bias.floatAt(c);
        }
        assertTensor(Tensor.ofFloats(x.shape(), y), eval(new BatchNorm(eps), x, scale, bias, mean, var));
    }

    @Test
    void channelAffineOnAnyAxis() {
        Tensor x = f32(dims(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor scale = f32(dims(2), 2, -1);
        Tensor shift = f32(dims(2), 0.5f, 10);
        assertTensor(f32(dims(2, 2, 2), 2.5f, 4.5f, 7, 6, 10.5f, 12.5f, 3, 2), eval(new ChannelAffine(1), x, scale, shift));
        assertTensor(f32(dims(2, 2, 2), 2.5f, 8, 6.5f, 6, 10.5f, 4, 14.5f, 2), eval(new ChannelAffine(2), x, scale, shift));
        assertTensor(f32(dims(2, 2, 2), 2.5f, 4.5f, 6.5f, 8.5f, 5, 4, 3, 2), eval(new ChannelAffine(0), x, scale, shift));
    }

    @Test
    void channelAffineMultipliesThenAdds() {
        // 3·(1/3) rounds to 1 in float; a fused multiply-add would keep the residue.
        float third = 1f / 3;
        Tensor y = eval(new ChannelAffine(0), f32(dims(1), 3), f32(dims(1), third), f32(dims(1), -1));
        assertTensor(f32(dims(1), 0), y);
    }
}
