package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.iota;
import static dev.bnnc.ir.interp.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Conv;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvTest {
    @Test
    void oneDimensionalWithPadsAndBias() {
        Tensor x = f32(dims(1, 1, 5), 1, 2, 3, 4, 5);
        Tensor w = f32(dims(1, 1, 3), 1, 0, -1);
        Conv conv = new Conv(List.of(1), List.of(1, 1), List.of(1), 1);
        assertTensor(f32(dims(1, 1, 5), -2, -2, -2, -2, 4), eval(conv, x, w));
        assertTensor(f32(dims(1, 1, 5), -1.5f, -1.5f, -1.5f, -1.5f, 4.5f), eval(conv, x, w, f32(dims(1), 0.5f)));
    }

    @Test
    void oneDimensionalStridedAndDilated() {
        Tensor x = iota(1, 1, 7);
        Tensor w = f32(dims(1, 1, 2), 1, 1);
        assertTensor(f32(dims(1, 1, 3), 4, 8, 12), eval(new Conv(List.of(2), List.of(0, 0), List.of(2), 1), x, w));
    }

    @Test
    void twoDimensionalByHand() {
        Tensor x = iota(1, 1, 3, 3);
        Tensor w = f32(dims(1, 1, 2, 2), 1, 2, 3, 4);
        Conv conv = new Conv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1);
        assertTensor(f32(dims(1, 1, 2, 2), 37, 47, 67, 77), eval(conv, x, w));
    }

    @Test
    void groupsByHand() {
        // Two groups of one channel each: filter 0 sees channel 0, filter 1 sees channel 1.
        Tensor x = f32(dims(1, 2, 2), 1, 2, 10, 20);
        Tensor w = f32(dims(2, 1, 1), 3, 5);
        assertTensor(f32(dims(1, 2, 2), 3, 6, 50, 100), eval(new Conv(List.of(1), List.of(0, 0), List.of(1), 2), x, w));
    }

    @Test
    void sumsChannelsThenKernelPositionsThenBias() {
        // Terms 1e8, 1, -1e8 in that order: float gives (1e8 + 1) - 1e8 = 0, then the bias 1.
        // Channel 0 contributes 1e8 and 1 (kernel positions 0, 1); channel 1 contributes -1e8 and 0.
        Tensor x = f32(dims(1, 2, 2), 1e8f, 1, -1e8f, 0);
        Tensor w = f32(dims(1, 2, 2), 1, 1, 1, 1);
        Conv conv = new Conv(List.of(1), List.of(0, 0), List.of(1), 1);
        assertTensor(f32(dims(1, 1, 1), 0), eval(conv, x, w));
        assertTensor(f32(dims(1, 1, 1), 1), eval(conv, x, w, f32(dims(1), 1)));
    }

    @Test
    void twoDimensionalAgainstReference() {
        check(2, 3, 4, 7, 6, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 1, true);
        check(1, 2, 3, 8, 7, new int[] {3, 2}, new int[] {2, 3}, new int[] {0, 1, 2, 0}, new int[] {1, 1}, 1, false);
        check(1, 3, 2, 9, 9, new int[] {2, 3}, new int[] {1, 2}, new int[] {2, 1, 1, 2}, new int[] {3, 2}, 1, true);
        check(2, 4, 6, 6, 5, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 2, true);
    }

    @Test
    void depthwiseAgainstReference() {
        check(1, 4, 4, 6, 5, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 4, true);
        // Channel multiplier 2: two filters per input channel.
        check(1, 3, 6, 5, 5, new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0, 1, 0}, new int[] {1, 1}, 3, false);
    }

    @Test
    void oneDimensionalAgainstReference() {
        // The FSMN memory block: a depthwise 1-D conv along time with symmetric context.
        check(1, 5, 5, 1, 20, new int[] {1, 7}, new int[] {1, 1}, new int[] {0, 3, 0, 3}, new int[] {1, 1}, 5, false);
        check(2, 2, 3, 1, 11, new int[] {1, 3}, new int[] {1, 2}, new int[] {0, 2, 0, 1}, new int[] {1, 2}, 1, true);
    }

    @Test
    void threeDimensionalAgainstReference() {
        Tensor x = random(1, 1, 2, 4, 5, 4);
        Tensor w = random(2, 3, 2, 2, 3, 2);
        Tensor b = random(3, 3);
        Conv conv = new Conv(List.of(1, 2, 1), List.of(1, 0, 1, 0, 1, 1), List.of(2, 1, 1), 1);
        assertTensor(reference(x, w, b, conv), eval(conv, x, w, b));
    }

    @Test
    void rejectsMismatchedGroups() {
        IrException e = assertThrows(IrException.class, () -> eval(new Conv(List.of(1), List.of(0, 0), List.of(1), 2),
                iota(1, 3, 4), iota(2, 1, 1)));
        assertTrue(e.getMessage().startsWith("Conv"), e.getMessage());
    }

    /** Builds a spatially 2-D conv case from random data and compares it with {@link #reference}. */
    private static void check(int n, int c, int m, int h, int wd, int[] k, int[] strides, int[] pads, int[] dil,
                              int group, boolean bias) {
        long seed = 31L * n + 17L * c + m + 101L * h + wd;
        Tensor x = random(seed, n, c, h, wd);
        Tensor w = random(seed + 1, m, c / group, k[0], k[1]);
        Conv conv = new Conv(List.of(strides[0], strides[1]), List.of(pads[0], pads[1], pads[2], pads[3]),
                List.of(dil[0], dil[1]), group);
        if (bias) {
            Tensor b = random(seed + 2, m);
            assertTensor(reference(x, w, b, conv), eval(conv, x, w, b));
        } else {
            assertTensor(reference(x, w, null, conv), eval(conv, x, w));
        }
    }

    /**
     * A plain convolution written independently of the interpreter: 1-D and 2-D cases are lifted
     * to 3-D, the input is copied into an explicitly zero-padded volume, and every output element
     * sums over (channel, kd, kh, kw) in nested loops, then adds the bias.
     */
    private static Tensor reference(Tensor x, Tensor w, Tensor bias, Conv conv) {
        int lift = 3 - conv.spatialRank();
        int[] xd = lifted(x.shape(), lift);
        int[] wd = lifted(w.shape(), lift);
        int[] s = new int[3];
        int[] dl = new int[3];
        int[] pb = new int[3];
        int[] pe = new int[3];
        for (int i = 0; i < 3; i++) {
            boolean real = i >= lift;
            s[i] = real ? conv.strides().get(i - lift) : 1;
            dl[i] = real ? conv.dilations().get(i - lift) : 1;
            pb[i] = real ? conv.pads().get(i - lift) : 0;
            pe[i] = real ? conv.pads().get(i - lift + conv.spatialRank()) : 0;
        }
        int nN = xd[0];
        int nC = xd[1];
        int nM = wd[0];
        int cg = wd[1];
        int mg = nM / conv.group();
        int[] padded = new int[3];
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            padded[i] = xd[i + 2] + pb[i] + pe[i];
            out[i] = (padded[i] - dl[i] * (wd[i + 2] - 1) - 1) / s[i] + 1;
        }
        float[][][][][] xp = new float[nN][nC][padded[0]][padded[1]][padded[2]];
        float[] xv = x.toFloatArray();
        int idx = 0;
        for (int a = 0; a < nN; a++) {
            for (int b = 0; b < nC; b++) {
                for (int i = 0; i < xd[2]; i++) {
                    for (int j = 0; j < xd[3]; j++) {
                        for (int l = 0; l < xd[4]; l++) {
                            xp[a][b][i + pb[0]][j + pb[1]][l + pb[2]] = xv[idx++];
                        }
                    }
                }
            }
        }
        float[] wv = w.toFloatArray();
        float[] y = new float[nN * nM * out[0] * out[1] * out[2]];
        int o = 0;
        for (int a = 0; a < nN; a++) {
            for (int mm = 0; mm < nM; mm++) {
                int g = mm / mg;
                for (int i = 0; i < out[0]; i++) {
                    for (int j = 0; j < out[1]; j++) {
                        for (int l = 0; l < out[2]; l++) {
                            float acc = 0;
                            for (int cc = 0; cc < cg; cc++) {
                                for (int ki = 0; ki < wd[2]; ki++) {
                                    for (int kj = 0; kj < wd[3]; kj++) {
                                        for (int kl = 0; kl < wd[4]; kl++) {
                                            float xe = xp[a][g * cg + cc][i * s[0] + ki * dl[0]][j * s[1] + kj * dl[1]]
                                                    [l * s[2] + kl * dl[2]];
                                            float we = wv[(((mm * cg + cc) * wd[2] + ki) * wd[3] + kj) * wd[4] + kl];
                                            acc += xe * we;
                                        }
                                    }
                                }
                            }
                            y[o++] = bias == null ? acc : acc + bias.floatAt(mm);
                        }
                    }
                }
            }
        }
        int[] shape = x.shape().dims();
        shape[1] = nM;
        for (int i = 0; i < conv.spatialRank(); i++) {
            shape[i + 2] = out[i + lift];
        }
        return Tensor.adoptFloats(Shape.of(shape), y);
    }

    /** Dims with {@code lift} unit axes inserted after the two leading ones. */
    private static int[] lifted(Shape shape, int lift) {
        int[] d = new int[5];
        d[0] = shape.dim(0);
        d[1] = shape.dim(1);
        for (int i = 0; i < 3; i++) {
            d[i + 2] = i < lift ? 1 : shape.dim(i - lift + 2);
        }
        return d;
    }
}
