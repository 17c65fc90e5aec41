package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.i64;
import static dev.bnnc.ir.interp.TestTensors.iota;
import static dev.bnnc.ir.interp.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Transpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixTest {
    private static final Tensor A = iota(2, 3);
    private static final Tensor B = f32(dims(3, 2), 1, 0, 0, 1, 1, 1);
    /** A·B. */
    private static final Tensor AB = f32(dims(2, 2), 4, 5, 10, 11);

    @Test
    void dense() {
        assertTensor(AB, eval(new Dense(), A, B));
        assertTensor(f32(dims(2, 2), 4.5f, 4, 10.5f, 10), eval(new Dense(), A, B, f32(dims(2), 0.5f, -1)));
        assertTensor(AB.reshape(Shape.of(2, 1, 2)), eval(new Dense(), A.reshape(Shape.of(2, 1, 3)), B));
    }

    @Test
    void denseSumsOverKAscendingThenAddsTheBias() {
        // (0 + 1e8) + 1 rounds to 1e8 in float, so the sum is 0; bias first would give 0 too, bias last gives 1.
        Tensor x = f32(dims(1, 3), 1e8f, 1, -1e8f);
        Tensor w = f32(dims(3, 1), 1, 1, 1);
        assertTensor(f32(dims(1, 1), 0), eval(new Dense(), x, w));
        assertTensor(f32(dims(1, 1), 1), eval(new Dense(), x, w, f32(dims(1), 1)));
        assertTensor(f32(dims(1, 1), 0), eval(new MatMul(), x, w));
        Gemm gemm = new Gemm(1, 1, false, false);
        assertTensor(f32(dims(1, 1), 1), eval(gemm, x, w, f32(dims(1), 1)));
        // Transposed B takes the dot-product loop; the order stays the same.
        assertTensor(f32(dims(1, 1), 1), eval(new Gemm(1, 1, false, true), x, w.reshape(Shape.of(1, 3)),
                f32(dims(1), 1)));
    }

    @Test
    void factoredDenseRebuildsTheWeightFromTheFlattenedProduct() {
        // P = xf·wf = [[1, 2, 3], [2, 4, 6], [3, 6, 9]] (rank 1), flattened 1 2 3 2 4 6 3 6 9, cut to 6.
        Tensor xf = f32(dims(3, 1), 1, 2, 3);
        Tensor wf = f32(dims(1, 3), 1, 2, 3);
        Tensor x = f32(dims(1, 2), 1, 10);
        // transposed = false: w = [[1, 2, 3], [2, 4, 6]] ([K=2, N=3]); its rows do not line up with P's rows.
        assertTensor(f32(dims(1, 3), 21, 42, 63), eval(new FactoredDense(2, 3, false), x, xf, wf));
        // transposed = true: M = [[1, 2], [3, 2], [4, 6]] ([N=3, K=2]), w = Mᵀ; plus a bias.
        assertTensor(f32(dims(1, 3), 21.5f, 23.5f, 64.5f),
                eval(new FactoredDense(2, 3, true), x, xf, wf, f32(dims(3), 0.5f, 0.5f, 0.5f)));
        // Same as Dense on the rebuilt weight, for random factors and a batch of rows.
        Tensor rxf = random(1, 4, 3);
        Tensor rwf = random(2, 3, 5);
        Tensor rx = random(3, 2, 3, 6);
        Tensor p = eval(new MatMul(), rxf, rwf);
        float[] w = new float[18];
        for (int i = 0; i < w.length; i++) {
            w[i] = p.floatAt(i);
        }
        assertTensor(eval(new Dense(), rx, f32(dims(6, 3), w)), eval(new FactoredDense(6, 3, false), rx, rxf, rwf));
    }

    @Test
    void factoredDenseNeedsFactorsHoldingTheWeight() {
        FactoredDense op = new FactoredDense(4, 4, false);
        assertThrows(IrException.class, () -> op.inferTypes(List.of(dims32(1, 4), dims32(3, 2), dims32(2, 5))));
        assertThrows(IrException.class, () -> op.inferTypes(List.of(dims32(1, 4), dims32(4, 2), dims32(3, 4))));
        assertThrows(IrException.class, () -> op.inferTypes(List.of(dims32(1, 3), dims32(4, 2), dims32(2, 4))));
        assertThrows(IrException.class, () -> new FactoredDense(0, 4, false));
    }

    private static TensorType dims32(int... d) {
        return TensorType.f32(d);
    }

    @Test
    void gemmTransposes() {
        Tensor at = eval(new Transpose(List.of(1, 0)), A);
        Tensor bt = eval(new Transpose(List.of(1, 0)), B);
        assertTensor(AB, eval(new Gemm(1, 1, false, false), A, B));
        assertTensor(AB, eval(new Gemm(1, 1, true, false), at, B));
        assertTensor(AB, eval(new Gemm(1, 1, false, true), A, bt));
        assertTensor(AB, eval(new Gemm(1, 1, true, true), at, bt));
    }

    @Test
    void gemmScalesAndBroadcastsC() {
        Gemm plain = new Gemm(1, 1, false, false);
        assertTensor(f32(dims(2, 2), 5, 6, 11, 12), eval(plain, A, B, f32(dims(), 1)));
        assertTensor(f32(dims(2, 2), 5, 7, 11, 13), eval(plain, A, B, f32(dims(2), 1, 2)));
        assertTensor(f32(dims(2, 2), 5, 6, 12, 13), eval(plain, A, B, f32(dims(2, 1), 1, 2)));
        assertTensor(f32(dims(2, 2), 5, 7, 13, 15), eval(plain, A, B, f32(dims(2, 2), 1, 2, 3, 4)));
        // alpha = 2, beta = 0.5: 2·AB + 0.5·C.
        assertTensor(f32(dims(2, 2), 8.5f, 11, 21.5f, 24), eval(new Gemm(2, 0.5f, false, false), A, B,
                f32(dims(2, 2), 1, 2, 3, 4)));
        assertTensor(f32(dims(2, 2), 12, 15, 30, 33), eval(new Gemm(3, 0.5f, false, false), A, B));
    }

    @Test
    void matMulVectorOperands() {
        Tensor v = f32(dims(3), 1, 2, 3);
        assertTensor(f32(dims(2), 4, 5), eval(new MatMul(), v, B));
        assertTensor(f32(dims(2), 14, 32), eval(new MatMul(), A, v));
        assertTensor(f32(dims(), 14), eval(new MatMul(), v, v));
        // A batch of matrices times a vector, and a vector times a batch of matrices.
        Tensor batch = f32(dims(2, 2, 3), 1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 0);
        assertTensor(f32(dims(2, 2), 14, 32, 2, 1), eval(new MatMul(), batch, v));
        assertTensor(f32(dims(2, 2), 4, 5, 2, 0), eval(new MatMul(), v, f32(dims(2, 3, 2), 1, 0, 0, 1, 1, 1, 0, 0,
                1, 0, 0, 0)));
    }

    @Test
    void batchedMatMulBroadcastsLeadingAxes() {
        Tensor a = random(1, 2, 1, 2, 3);
        Tensor b = random(2, 3, 3, 2);
        assertTensor(referenceMatMul(a, b), eval(new MatMul(), a, b));
        Tensor c = random(3, 4, 3);
        Tensor d = random(4, 5, 3, 2);
        assertTensor(referenceMatMul(c, d), eval(new MatMul(), c, d));
    }

    @Test
    void matMulRejectsIntegers() {
        IrException e = assertThrows(IrException.class,
                () -> eval(new MatMul(), i64(dims(1, 1), 1), i64(dims(1, 1), 1)));
        assertTrue(e.getMessage().startsWith("MatMul"), e.getMessage());
    }

    /** Matmul of [B1?, B2, M, K] by [B2', K, N] operands via explicit 4-D indexing with broadcast. */
    private static Tensor referenceMatMul(Tensor a, Tensor b) {
        int[] ad = pad4(a.shape());
        int[] bd = pad4(b.shape());
        int m = ad[2];
        int k = ad[3];
        int n = bd[3];
        int b0 = Math.max(ad[0], bd[0]);
        int b1 = Math.max(ad[1], bd[1]);
        float[] y = new float[b0 * b1 * m * n];
        for (int i0 = 0; i0 < b0; i0++) {
            for (int i1 = 0; i1 < b1; i1++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float acc = 0;
                        for (int kk = 0; kk < k; kk++) {
                            int ai = (((ad[0] == 1 ? 0 : i0) * ad[1] + (ad[1] == 1 ? 0 : i1)) * m + i) * k + kk;
                            int bi = (((bd[0] == 1 ? 0 : i0) * bd[1] + (bd[1] == 1 ? 0 : i1)) * k + kk) * n + j;
                            acc += a.floatAt(ai) * b.floatAt(bi);
                        }
                        y[((i0 * b1 + i1) * m + i) * n + j] = acc;
                    }
                }
            }
        }
        int rank = Math.max(a.shape().rank(), b.shape().rank());
        int[] shape = rank == 4 ? new int[] {b0, b1, m, n} : new int[] {b1, m, n};
        return Tensor.adoptFloats(Shape.of(shape), y);
    }

    private static int[] pad4(Shape s) {
        int[] d = {1, 1, 1, 1};
        for (int i = 0; i < s.rank(); i++) {
            d[4 - s.rank() + i] = s.dim(i);
        }
        return d;
    }
}
