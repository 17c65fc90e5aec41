package dev.bnnc.passes.deepthin;

import dev.bnnc.ir.IrException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The best rank-r approximation {@code A ≈ left·right} of a matrix (left = U_r·Σ_r [m, r], right =
 * V_rᵀ [r, n]), with EJML. The top singular subspace is found by a randomized range finder with
 * power iterations (Halko, Martinsson and Tropp 2011): a full SVD of a 3000×3000 weight takes
 * minutes, this a few seconds, and with {@link #POWER_ITERATIONS} its error is within a fraction of
 * a percent of the optimum on weight matrices. Where r plus the oversampling covers the smaller
 * side, it is the exact truncated SVD. Seeded: the same matrix gives the same factors.
 */
final class TruncatedSvd {
    /** Extra directions sampled beyond r, which make the range finder accurate. */
    private static final int OVERSAMPLING = 10;
    private static final int POWER_ITERATIONS = 3;
    private static final long SEED = 1802_06944L; // the DeepThin paper's arXiv number

    /** The factors [m, rank] and [rank, n], row-major. */
    record Factors(double[] left, double[] right) {}

    private TruncatedSvd() {}

    /** Rank-{@code rank} factors of the row-major {@code m×n} matrix {@code a}. */
    static Factors of(double[] a, int m, int n, int rank) {
        int small = Math.min(m, n);
        if (rank < 1 || rank > small) {
            throw new IrException("rank " + rank + " does not fit a " + m + "×" + n + " matrix");
        }
        DMatrixRMaj matrix = DMatrixRMaj.wrap(m, n, a);
        int samples = Math.min(small, rank + OVERSAMPLING);
        DMatrixRMaj basis;
        if (samples == small && m <= n) {
            basis = CommonOps_DDRM.identity(m); // the whole column space: exact
        } else {
            basis = rangeOf(matrix, samples);
        }
        // B = Qᵀ A is small; its SVD gives A's top singular triplets through Q.
        DMatrixRMaj b = new DMatrixRMaj(basis.numCols, n);
        CommonOps_DDRM.multTransA(basis, matrix, b);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(b.numRows, b.numCols, true, true, true);
        if (!svd.decompose(b)) {
            throw new IrException("the singular value decomposition of a " + m + "×" + n + " weight did not converge");
        }
        DMatrixRMaj ub = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(ub, false, w, vt, true);
        DMatrixRMaj u = new DMatrixRMaj(m, ub.numCols);
        CommonOps_DDRM.mult(basis, ub, u);
        double[] left = new double[m * rank];
        double[] right = new double[rank * n];
        for (int k = 0; k < rank; k++) {
            double s = w.get(k, k);
            for (int i = 0; i < m; i++) {
                left[i * rank + k] = u.get(i, k) * s;
            }
            for (int j = 0; j < n; j++) {
                right[k * n + j] = vt.get(k, j);
            }
        }
        return new Factors(left, right);
    }

    /** An orthonormal basis [m, samples] of A's dominant column space. */
    private static DMatrixRMaj rangeOf(DMatrixRMaj a, int samples) {
        Random random = new Random(SEED);
        DMatrixRMaj omega = new DMatrixRMaj(a.numCols, samples);
        for (int i = 0; i < omega.data.length; i++) {
            omega.data[i] = random.nextGaussian();
        }
        DMatrixRMaj y = new DMatrixRMaj(a.numRows, samples);
        CommonOps_DDRM.mult(a, omega, y);
        DMatrixRMaj z = new DMatrixRMaj(a.numCols, samples);
        for (int q = 0; q < POWER_ITERATIONS; q++) {
            // Orthonormalized between products, so that small singular directions are not lost to rounding.
            CommonOps_DDRM.multTransA(a, orthonormal(y), z);
            CommonOps_DDRM.mult(a, orthonormal(z), y);
        }
        return orthonormal(y);
    }

    private static DMatrixRMaj orthonormal(DMatrixRMaj y) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(y.numRows, y.numCols);
        if (!qr.decompose(y.copy())) {
            throw new IrException("QR decomposition failed");
        }
        return qr.getQ(null, true);
    }
}
