package dev.bnnc.ir.ops;

/** What a {@link Pool} window computes. */
public enum PoolKind {
    MAX,
    AVERAGE
}
