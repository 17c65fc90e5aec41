package dev.bnnc.passes.plan;

/**
 * One variant of a thinnable model: the interval it runs at (1: every block) and its plan. A model
 * without variants is one variant of interval 1.
 */
public record Variant(int interval, ExecutionPlan plan) {}
