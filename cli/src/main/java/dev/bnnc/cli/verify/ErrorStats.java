package dev.bnnc.cli.verify;

import dev.bnnc.ir.Tensor;

/**
 * How far an output is from its reference: the worst absolute difference, that difference relative
 * to the reference's largest magnitude (robust where single elements are near zero), and whether the
 * arg-max agrees (what a classifier reports).
 */
public record ErrorStats(double maxAbs, double relative, boolean argmaxAgrees) {
    public static ErrorStats compare(Tensor actual, Tensor reference) {
        if (actual.size() != reference.size()) {
            throw new IllegalArgumentException("sizes differ: " + actual.type() + " vs " + reference.type());
        }
        double maxAbs = 0;
        double scale = 0;
        boolean nanMismatch = false;
        for (int i = 0; i < actual.size(); i++) {
            double a = actual.doubleAt(i);
            double r = reference.doubleAt(i);
            if (Double.isNaN(a) != Double.isNaN(r)) {
                nanMismatch = true;
            } else if (!Double.isNaN(a) && a != r) {
                maxAbs = Math.max(maxAbs, Math.abs(a - r));
            }
            if (Double.isFinite(r)) {
                scale = Math.max(scale, Math.abs(r));
            }
        }
        double rel = nanMismatch ? Double.POSITIVE_INFINITY : maxAbs / Math.max(scale, Float.MIN_NORMAL);
        return new ErrorStats(nanMismatch ? Double.POSITIVE_INFINITY : maxAbs, rel, argmax(actual) == argmax(reference));
    }

    /** Combines the stats of two runs: the worst of each. */
    public ErrorStats worst(ErrorStats o) {
        return new ErrorStats(Math.max(maxAbs, o.maxAbs), Math.max(relative, o.relative), argmaxAgrees && o.argmaxAgrees);
    }

    public boolean within(double tolerance) {
        return relative <= tolerance && argmaxAgrees;
    }

    private static int argmax(Tensor t) {
        int best = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.doubleAt(i) > t.doubleAt(best)) {
                best = i;
            }
        }
        return best;
    }
}
