package dev.bnnc.ir.interp;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Gemm;
import java.util.Arrays;

/**
 * Dense (plain and factored), MatMul and Gemm. Every output element is a dot product accumulated in one float starting
 * at 0, over k ascending; a bias or C term is added afterwards.
 */
final class MatrixKernels {
    private MatrixKernels() {}

    /** {@code y[r, n] = (sum_k x[r, k]·w[k, n]) + b[n]} over the rows r of all leading axes. */
    static Tensor dense(KernelCall call) {
        Shape w = call.input(1).shape();
        return dense(call, call.input(1).toFloatArray(), w.dim(0), w.dim(1), call.has(2) ? call.input(2) : null);
    }

    /**
     * Dense with the weight rebuilt: {@code P = xf·wf} (as MatMul computes it), then
     * {@code w[k, n] = P_flat[op.flatIndex(k, n)]}.
     */
    static Tensor factoredDense(FactoredDense op, KernelCall call) {
        Shape xf = call.input(1).shape();
        int mf = xf.dim(0);
        int r = xf.dim(1);
        int nf = call.input(2).shape().dim(1);
        float[] p = new float[mf * nf];
        multiply(call.input(1).toFloatArray(), 0, r, 1, call.input(2).toFloatArray(), 0, nf, 1, p, 0, mf, r, nf);
        int k = op.inFeatures();
        int n = op.outFeatures();
        float[] w = new float[k * n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = p[(int) op.flatIndex(i, j)];
            }
        }
        return dense(call, w, k, n, call.has(3) ? call.input(3) : null);
    }

    private static Tensor dense(KernelCall call, float[] w, int k, int n, Tensor bias) {
        Tensor xt = call.input(0);
        Shape outShape = call.outputType().shape();
        int rows = xt.shape().sizeOf(0, xt.shape().rank() - 1);
        float[] y = new float[outShape.size()];
        multiply(xt.toFloatArray(), 0, k, 1, w, 0, n, 1, y, 0, rows, k, n);
        if (bias != null) {
            float[] b = bias.toFloatArray();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    y[r * n + j] += b[j];
                }
            }
        }
        return Tensor.adoptFloats(outShape, y);
    }

    /** NumPy matmul: leading axes broadcast, a 1-D left operand is a row and a 1-D right operand a column. */
    static Tensor matMul(KernelCall call) {
        Tensor at = call.input(0);
        Tensor bt = call.input(1);
        if (at.dtype() != DType.F32) {
            throw new IrException("MatMul is defined on f32 only, got " + at.type());
        }
        int[] ad = at.shape().rank() == 1 ? new int[] {1, at.shape().dim(0)} : at.shape().dims();
        int[] bd = bt.shape().rank() == 1 ? new int[] {bt.shape().dim(0), 1} : bt.shape().dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        Shape aBatch = Shape.of(Arrays.copyOf(ad, ad.length - 2));
        Shape bBatch = Shape.of(Arrays.copyOf(bd, bd.length - 2));
        int batchRank = Math.max(aBatch.rank(), bBatch.rank());
        // The output's leading axes are the broadcast batch shape (1-D operands add none).
        Shape outBatch = Shape.of(Arrays.copyOf(call.outputType().shape().dims(), batchRank));
        int[] aSource = SourceIndex.broadcast(aBatch, outBatch);
        int[] bSource = SourceIndex.broadcast(bBatch, outBatch);
        float[] a = at.toFloatArray();
        float[] b = bt.toFloatArray();
        float[] y = new float[call.outputType().size()];
        for (int i = 0; i < aSource.length; i++) {
            multiply(a, aSource[i] * m * k, k, 1, b, bSource[i] * k * n, n, 1, y, i * m * n, m, k, n);
        }
        return Tensor.adoptFloats(call.outputType().shape(), y);
    }

    /**
     * {@code alpha·(A'·B') + beta·C}; a factor that is exactly 1 is not multiplied, so the common
     * case is {@code dot + C}.
     */
    static Tensor gemm(Gemm op, KernelCall call) {
        Tensor at = call.input(0);
        Tensor bt = call.input(1);
        Shape outShape = call.outputType().shape();
        int m = outShape.dim(0);
        int n = outShape.dim(1);
        int k = op.transA() ? at.shape().dim(0) : at.shape().dim(1);
        float[] y = new float[outShape.size()];
        multiply(at.toFloatArray(), 0, op.transA() ? 1 : k, op.transA() ? m : 1,
                bt.toFloatArray(), 0, op.transB() ? 1 : n, op.transB() ? k : 1, y, 0, m, k, n);
        float alpha = op.alpha();
        float beta = op.beta();
        if (alpha != 1.0f) {
            for (int i = 0; i < y.length; i++) {
                y[i] = alpha * y[i];
            }
        }
        if (call.has(2)) {
            float[] c = call.input(2).toFloatArray();
            int[] cSource = SourceIndex.broadcast(call.input(2).shape(), outShape);
            for (int i = 0; i < y.length; i++) {
                float ci = c[cSource[i]];
                y[i] += beta == 1.0f ? ci : beta * ci;
            }
        }
        return Tensor.adoptFloats(outShape, y);
    }

    /**
     * {@code out[outOff + i·n + j] = sum_k A[i][k]·B[k][j]} for an {@code m×k} matrix A and a
     * {@code k×n} matrix B given by offsets and strides; {@code out} must hold zeros there. Each
     * element accumulates over k ascending whichever loop order is used, so both give equal bits;
     * the order is picked for memory locality.
     */
    private static void multiply(float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride, int bColStride,
                                 float[] out, int outOff, int m, int k, int n) {
        if (bColStride == 1) {
            // B rows are contiguous: stream them, accumulating a row of the output.
            for (int i = 0; i < m; i++) {
                int o = outOff + i * n;
                for (int kk = 0; kk < k; kk++) {
                    float av = a[aOff + i * aRowStride + kk * aColStride];
                    int bRow = bOff + kk * bRowStride;
                    for (int j = 0; j < n; j++) {
                        out[o + j] += av * b[bRow + j];
                    }
                }
            }
        } else {
            // B columns are contiguous (a transposed B): one dot product per output element.
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0.0f;
                    int bCol = bOff + j * bColStride;
                    for (int kk = 0; kk < k; kk++) {
                        acc += a[aOff + i * aRowStride + kk * aColStride] * b[bCol + kk * bRowStride];
                    }
                    out[outOff + i * n + j] = acc;
                }
            }
        }
    }
}
