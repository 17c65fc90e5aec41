package dev.bnnc.ir.ops;

/** What a {@link Reduce} computes over its axes (ONNX ReduceSum, ReduceMean, ...). */
public enum ReduceFn {
    SUM,
    MEAN,
    MAX,
    MIN,
    PROD,
    SUM_SQUARE,
    L1,
    L2,
    LOG_SUM_EXP
}
