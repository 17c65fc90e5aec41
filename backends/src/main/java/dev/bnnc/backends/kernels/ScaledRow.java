package dev.bnnc.backends.kernels;

/**
 * One term of a multiply-accumulate over a row: {@code scale * row[j + offset]} at vector index j.
 * {@code scale} is a float expression that does not depend on j, {@code row} an array (Java) or
 * pointer (C) expression.
 */
public record ScaledRow(String scale, String row, int offset) {}
