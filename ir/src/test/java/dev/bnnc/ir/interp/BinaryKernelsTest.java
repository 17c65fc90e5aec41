package dev.bnnc.ir.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryKernelsTest {
    @Test
    void packSignsSetsBitsForNegativesAndMasksZeros() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 4), 1f, -2f, 0f, -0f);
        List<Tensor> out = Interpreter.evaluate(new PackSigns(1, 1, false), List.of(x));
        assertArrayEquals(new long[] {0b0010L}, out.get(0).toLongArray());
        // Both zeros masked, sign bit 0; the last word flags that a zero occurred.
        assertArrayEquals(new long[] {0b1100L, 1L}, out.get(1).toLongArray());
        Tensor bipolar = Interpreter.evaluate(new PackSigns(1, 1, true), List.of(x)).get(0);
        assertArrayEquals(new long[] {0b0010L}, bipolar.toLongArray(), "BipolarQuant: 0 is +1");
        Tensor none = Interpreter.evaluate(new PackSigns(1, 1, false), List.of(Tensor.ofFloats(Shape.of(1, 2), 1f, -1f))).get(1);
        assertArrayEquals(new long[] {0L, 0L}, none.toLongArray(), "no zero, no flag");
    }

    @Test
    void packLayoutMovesTheAxisLastAndPadsGroupsToWords() {
        PackLayout channels = new PackLayout(1, 2);
        assertEquals(Shape.of(2, 3, 4), channels.packed(Shape.of(2, 130, 3)), "2 groups of 65 channels: 2 words each");
        float[] v = new float[2 * 130 * 3];
        Random r = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(3) - 1;
        }
        long[] mask = new long[channels.zeroMask(Shape.of(2, 130, 3)).size()];
        long[] words = channels.pack(v, Shape.of(2, 130, 3), mask);
        assertArrayEquals(v, channels.unpack(words, mask, Shape.of(2, 130, 3)));
    }

    @Test
    void depthwiseBinaryConvSkipsPaddingAndMaskedZeros() {
        // One channel, x = [+1, -1, 0, +1], kernel [+1, +1, -1], pad 1 each side.
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 4), 1f, -1f, 0f, 1f);
        List<Tensor> packed = Interpreter.evaluate(new PackSigns(1, 1, false), List.of(x));
        // weight bit 1 for -1: taps +1, +1, -1 -> bits 0, 0, 1 in separate words (one word per tap, 1 channel)
        Tensor w = Tensor.adoptBits(Shape.of(1, 3, 1), new long[] {0, 0, 1});
        Tensor one = Tensor.ofFloats(Shape.of(1), 1f);
        Tensor zero = Tensor.ofFloats(Shape.of(1), 0f);
        BinaryConv op = new BinaryConv(List.of(1), List.of(1, 1), List.of(1), 1, 1, true, BinaryOutput.AFFINE, 0, 1);
        Tensor y = Interpreter.evaluate(op, List.of(packed.get(0), packed.get(1), w, one, zero)).get(0);
        // y[t] = x[t-1] + x[t] - x[t+1] over taps inside the input
        assertArrayEquals(new float[] {1 - (-1), 1 + (-1) - 0, -1 + 0 - 1, 0 + 1}, y.toFloatArray());
    }

    @Test
    void binaryConvEqualsFloatConvOfSigns() {
        Random r = new Random(3);
        int c = 70;
        int m = 5;
        int group = 1;
        float[] xv = new float[c * 6 * 5];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = r.nextInt(5) - 2; // some exact zeros
        }
        Tensor x = Tensor.adoptFloats(Shape.of(1, c, 6, 5), xv);
        float[] wv = new float[m * c * 3 * 3];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = r.nextBoolean() ? 1 : -1;
        }
        Shape wShape = Shape.of(m, c, 3, 3);
        Conv conv = new Conv(List.of(2, 1), List.of(1, 0, 1, 2), List.of(1, 1), group);
        float[] signs = xv.clone();
        for (int i = 0; i < signs.length; i++) {
            signs[i] = Math.signum(signs[i]);
        }
        Tensor expected = Interpreter.evaluate(conv, List.of(Tensor.adoptFloats(x.shape(), signs), Tensor.adoptFloats(wShape, wv))).get(0);

        List<Tensor> packed = Interpreter.evaluate(new PackSigns(1, group, false), List.of(x));
        PackLayout weightLayout = new PackLayout(1, 1);
        Tensor w = Tensor.adoptBits(weightLayout.packed(wShape), weightLayout.pack(wv, wShape, null));
        float[] ones = new float[m];
        java.util.Arrays.fill(ones, 1f);
        BinaryConv op = new BinaryConv(conv.strides(), conv.pads(), conv.dilations(), group, c, true, BinaryOutput.AFFINE, 0, 1);
        Tensor y = Interpreter.evaluate(op, List.of(packed.get(0), packed.get(1), w, Tensor.ofFloats(Shape.of(m), ones),
                Tensor.ofFloats(Shape.of(m), new float[m]))).get(0);
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray());
    }

    @Test
    void binaryDenseThresholdsIntoPackedSigns() {
        // K = 3: x = [+1, -1, +1]; w rows (per output): n0 = [+1, -1, +1] (dot 3), n1 = [-1, -1, -1] (dot -1)
        Tensor x = Interpreter.evaluate(new PackSigns(1, 1, true), List.of(Tensor.ofFloats(Shape.of(1, 3), 1, -1, 1))).get(0);
        Tensor w = Tensor.adoptBits(Shape.of(2, 1), new long[] {0b010L, 0b111L});
        BinaryDense signs = new BinaryDense(3, false, BinaryOutput.SIGNS, 1, 1);
        Tensor thresholds = Tensor.ofLongs(Shape.of(2), 1, -1);
        Tensor y = Interpreter.evaluate(signs, List.of(x, w, thresholds, thresholds)).get(0);
        assertArrayEquals(new long[] {0b00L}, y.toLongArray(), "3 >= 1 and -1 >= -1: both +1");
        Tensor higher = Tensor.ofLongs(Shape.of(2), 4, 0);
        assertArrayEquals(new long[] {0b11L}, Interpreter.evaluate(signs, List.of(x, w, higher, higher)).get(0).toLongArray());

        BinaryDense zeros = new BinaryDense(3, false, BinaryOutput.SIGNS_WITH_ZEROS, 1, 1);
        List<Tensor> z = Interpreter.evaluate(zeros, List.of(x, w, Tensor.ofLongs(Shape.of(2), 3, 0),
                Tensor.ofLongs(Shape.of(2), 4, 0)));
        assertArrayEquals(new long[] {0b10L}, z.get(0).toLongArray(), "n0: 3 in [3, 4) is 0 (bit 0); n1: -1 < 0 is -1");
        assertArrayEquals(new long[] {0b01L, 1L}, z.get(1).toLongArray(), "n0 masked as zero, and the flag set");
    }

    @Test
    void signsOutputRejectsAZeroInterval() {
        Tensor x = Interpreter.evaluate(new PackSigns(1, 1, true), List.of(Tensor.ofFloats(Shape.of(1, 3), 1, -1, 1))).get(0);
        Tensor w = Tensor.adoptBits(Shape.of(1, 1), new long[] {0});
        assertThrows(IrException.class, () -> Interpreter.evaluate(new BinaryDense(3, false, BinaryOutput.SIGNS, 1, 1),
                List.of(x, w, Tensor.ofLongs(Shape.of(1), 0), Tensor.ofLongs(Shape.of(1), 1))));
    }

    @Test
    void binaryDenseEqualsFloatDenseOfSigns() {
        Random r = new Random(9);
        int k = 130;
        int n = 7;
        float[] xv = new float[2 * k];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = r.nextInt(3) - 1;
        }
        float[] wkn = new float[k * n];
        float[] wnk = new float[n * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                float s = r.nextBoolean() ? 1 : -1;
                wkn[i * n + j] = s;
                wnk[j * k + i] = s;
            }
        }
        Tensor expected = Interpreter.evaluate(new Dense(), List.of(Tensor.adoptFloats(Shape.of(2, k), xv.clone()),
                Tensor.adoptFloats(Shape.of(k, n), wkn))).get(0);
        List<Tensor> packed = Interpreter.evaluate(new PackSigns(1, 1, false), List.of(Tensor.adoptFloats(Shape.of(2, k), xv)));
        PackLayout rows = new PackLayout(1, 1);
        Tensor w = Tensor.adoptBits(rows.packed(Shape.of(n, k)), rows.pack(wnk, Shape.of(n, k), null));
        float[] scale = new float[n];
        float[] bias = new float[n];
        for (int j = 0; j < n; j++) {
            scale[j] = 0.5f * (j + 1);
            bias[j] = j - 3;
        }
        Tensor y = Interpreter.evaluate(new BinaryDense(k, true, BinaryOutput.AFFINE, 0, 1), List.of(packed.get(0), packed.get(1),
                w, Tensor.ofFloats(Shape.of(n), scale), Tensor.ofFloats(Shape.of(n), bias))).get(0);
        for (int i = 0; i < y.size(); i++) {
            assertEquals(expected.floatAt(i) * scale[i % n] + bias[i % n], y.floatAt(i), 0f, "element " + i);
        }
    }
}
