package dev.bnnc.passes.deepthin;

/**
 * What post-training DeepThin compression did to one dense layer, for the report: its K×N weight
 * became xf [mf, rank] · wf [rank, nf], with the relative Frobenius error
 * {@code ||W - W'||_F / ||W||_F} of the rebuilt weight; and, for comparison, plain rank
 * factorization (W ≈ U·V, rank {@code plainRank}) with at most as many parameters, and its error.
 */
public record Factorization(String layer, int inFeatures, int outFeatures, double ratio, int mf, int nf, int rank,
                            long parameters, double relativeError, int plainRank, long plainParameters,
                            double plainRelativeError) {}
