package dev.bnnc.backends.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Writes {@code acc[j] += a_t * b_t[j]} over j in [0, length) (an int expression) for a run of
 * terms t, several terms per pass of the j loop: each accumulator is loaded and stored once per pass, and still sums its
 * terms one after another in order, so results do not change. Every array in the j loop is indexed
 * by {@code j} plus a constant, which lets compilers vectorize it; the j loop itself is the
 * dialect's ({@link Dialect#multiplyAccumulate}).
 */
final class Accumulation {
    private Accumulation() {}

    /** Declares the values of one term (given its index expression) as locals suffixed {@code u}. */
    @FunctionalInterface
    interface TermSetup {
        void write(CodeWriter w, String termIndex, int u);
    }

    /**
     * Terms {@code t} in [from, to) (expressions): a loop taking U terms per pass, then one at a time.
     *
     * @param product the product to add for term local {@code u}
     */
    static void loop(CodeWriter w, Dialect d, String t, String from, String to, String acc, String length, TermSetup setup,
                     IntFunction<ScaledRow> product) {
        loop(w, d, t, from, to, List.of(new AccumulatorRow(acc, 0)), length, setup, product);
    }

    /** As {@link #loop(CodeWriter, Dialect, String, String, String, String, String, TermSetup, IntFunction)}, into several accumulators. */
    static void loop(CodeWriter w, Dialect d, String t, String from, String to, List<AccumulatorRow> accs, String length,
                     TermSetup setup, IntFunction<ScaledRow> product) {
        int unroll = d.multiplyAccumulateTerms();
        w.block();
        w.line("int " + t + " = " + from + ";");
        w.open("for (; " + t + " + " + (unroll - 1) + " < " + to + "; " + t + " += " + unroll + ")");
        for (int u = 0; u < unroll; u++) {
            setup.write(w, u == 0 ? t : t + " + " + u, u);
        }
        pass(w, d, accs, length, unroll, product);
        w.close();
        w.open("for (; " + t + " < " + to + "; " + t + "++)");
        setup.write(w, t, 0);
        pass(w, d, accs, length, 1, product);
        w.close();
        w.close();
    }

    /**
     * Terms {@code t} in [0, count), a count known at compile time: a loop taking U terms per pass,
     * then the rest in one pass (for few terms, such as a low rank, one pass instead of several).
     */
    static void loop(CodeWriter w, Dialect d, String t, int count, String acc, String length, TermSetup setup,
                     IntFunction<ScaledRow> product) {
        int unroll = d.multiplyAccumulateTerms();
        int full = count / unroll * unroll;
        w.block();
        if (full > 0) {
            w.open("for (int " + t + " = 0; " + t + " < " + full + "; " + t + " += " + unroll + ")");
            for (int u = 0; u < unroll; u++) {
                setup.write(w, u == 0 ? t : t + " + " + u, u);
            }
            pass(w, d, List.of(new AccumulatorRow(acc, 0)), length, unroll, product);
            w.close();
        }
        if (full < count) {
            for (int u = 0; u < count - full; u++) {
                setup.write(w, String.valueOf(full + u), u);
            }
            pass(w, d, List.of(new AccumulatorRow(acc, 0)), length, count - full, product);
        }
        w.close();
    }

    /**
     * Terms known at compile time, each given as the statements declaring its locals (suffixed
     * {@code u}, the term's place in its pass: its index modulo {@link Dialect#multiplyAccumulateTerms})
     * and its product, in order.
     */
    static void unrolled(CodeWriter w, Dialect d, String acc, String length, List<String[]> setups, List<ScaledRow> products) {
        int unroll = d.multiplyAccumulateTerms();
        for (int first = 0; first < products.size(); first += unroll) {
            int count = Math.min(unroll, products.size() - first);
            w.block();
            for (int u = 0; u < count; u++) {
                for (String line : setups.get(first + u)) {
                    w.line(line);
                }
            }
            int base = first;
            pass(w, d, List.of(new AccumulatorRow(acc, 0)), length, count, u -> products.get(base + u));
            w.close();
        }
    }

    /**
     * Declares {@code rows} accumulator rows of {@code length} floats in scratch slot {@code slot}:
     * rows of their own ({@code acc0}, {@code acc1}, ...), or, where the dialect wants them in one
     * array ({@link Dialect#accumulatorsInOneArray}), rows of {@code acc} at multiples of the length
     * rounded up to the dialect's aligned read lanes.
     */
    static List<AccumulatorRow> declare(CodeWriter w, StepEnv env, int slot, int rows, int length) {
        Dialect d = env.dialect();
        List<AccumulatorRow> accs = new ArrayList<>();
        if (rows > 1 && d.accumulatorsInOneArray()) {
            int lanes = d.alignedReadLanes();
            int stride = (length + lanes - 1) / lanes * lanes;
            w.line(d.rowDecl("acc", env.scratchRows(slot, 1, rows * stride), "0", rows * stride, true));
            for (int k = 0; k < rows; k++) {
                accs.add(new AccumulatorRow("acc", k * stride));
            }
            return accs;
        }
        String table = env.scratchRows(slot, rows, length);
        for (int k = 0; k < rows; k++) {
            w.line(d.rowDecl("acc" + k, table, String.valueOf(k), length, true));
            accs.add(new AccumulatorRow("acc" + k, 0));
        }
        return accs;
    }

    private static void pass(CodeWriter w, Dialect d, List<AccumulatorRow> accs, String length, int terms,
                             IntFunction<ScaledRow> product) {
        List<ScaledRow> rows = new ArrayList<>();
        for (int u = 0; u < terms; u++) {
            rows.add(product.apply(u));
        }
        d.multiplyAccumulate(w, accs, length, rows);
    }
}
