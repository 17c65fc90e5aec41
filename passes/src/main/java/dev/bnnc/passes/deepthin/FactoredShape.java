package dev.bnnc.passes.deepthin;

import dev.bnnc.ir.ops.FactoredDense;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The shape of a DeepThin factorization of a K×N weight within a parameter budget: P = xf·wf is
 * mf×nf with mf·nf ≥ K·N and mf + nf as small as that allows (about 2·√(K·N)), so that the rank r,
 * the largest with r·(mf + nf) within the budget, is as large as it can be. nf is coprime with N,
 * so that consecutive rows of the weight start at ever different columns of P: no row of P lines
 * up with a row of the weight, and the reshape breaks the low-rank structure as DeepThin intends;
 * and its rows do not lie a multiple of 4 KB apart ({@link FactoredDense#conflictingRowLength}).
 */
record FactoredShape(int mf, int nf, int rank) {
    long parameters() {
        return (long) rank * (mf + nf);
    }

    /** The shape for a K×N weight and at most {@code budget} parameters, if it has rank 1 at least and saves any. */
    static Optional<FactoredShape> choose(int k, int n, long budget) {
        long weights = (long) k * n;
        int nf = (int) Math.ceil(Math.sqrt(weights));
        while (BigInteger.valueOf(nf).gcd(BigInteger.valueOf(n)).intValue() != 1 || FactoredDense.conflictingRowLength(nf)) {
            nf++;
        }
        int mf = (int) ((weights + nf - 1) / nf);
        long rank = Math.min(budget / (mf + nf), Math.min(mf, nf));
        if (rank < 1 || rank * (mf + nf) >= weights) {
            return Optional.empty();
        }
        return Optional.of(new FactoredShape(mf, nf, (int) rank));
    }
}
