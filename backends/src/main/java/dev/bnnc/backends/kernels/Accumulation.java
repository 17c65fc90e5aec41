package dev.bnnc.backends.kernels;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Writes {@code acc[j] += a_t * b_t[j]} over j in [0, length) for a run of terms t, several terms
 * per pass of the j loop: each accumulator is loaded and stored once per pass, and still sums its
 * terms one after another in order, so results do not change. Every array in the j loop is indexed
 * by {@code j} plus a constant, which lets compilers vectorize it.
 */
final class Accumulation {
    /** Terms handled per pass over the accumulators. */
    static final int UNROLL = 4;

    private Accumulation() {}

    /** Declares the values of one term (given its index expression) as locals suffixed {@code u}. */
    @FunctionalInterface
    interface TermSetup {
        void write(CodeWriter w, String termIndex, int u);
    }

    /**
     * Terms {@code t} in [from, to) (expressions): a loop taking U terms per pass, then one at a time.
     *
     * @param product the product to add for term local {@code u}, at vector index {@code j}
     */
    static void loop(CodeWriter w, String t, String from, String to, String acc, int length, TermSetup setup,
                     IntFunction<String> product) {
        w.block();
        w.line("int " + t + " = " + from + ";");
        w.open("for (; " + t + " + " + (UNROLL - 1) + " < " + to + "; " + t + " += " + UNROLL + ")");
        for (int u = 0; u < UNROLL; u++) {
            setup.write(w, u == 0 ? t : t + " + " + u, u);
        }
        pass(w, acc, length, UNROLL, product);
        w.close();
        w.open("for (; " + t + " < " + to + "; " + t + "++)");
        setup.write(w, t, 0);
        pass(w, acc, length, 1, product);
        w.close();
        w.close();
    }

    /**
     * Terms known at compile time, each given as the statements declaring its locals and its
     * product (with {@code j} the vector index), in order.
     */
    static void unrolled(CodeWriter w, String acc, int length, List<String[]> setups, List<String> products) {
        for (int first = 0; first < products.size(); first += UNROLL) {
            int count = Math.min(UNROLL, products.size() - first);
            w.block();
            for (int u = 0; u < count; u++) {
                for (String line : setups.get(first + u)) {
                    w.line(line);
                }
            }
            int base = first;
            pass(w, acc, length, count, u -> products.get(base + u));
            w.close();
        }
    }

    private static void pass(CodeWriter w, String acc, int length, int terms, IntFunction<String> product) {
        w.loop("j", 0, length);
        if (terms == 1) {
            w.line(acc + "[j] += " + product.apply(0) + ";");
        } else {
            w.line("float a = " + acc + "[j];");
            for (int u = 0; u < terms; u++) {
                w.line("a += " + product.apply(u) + ";");
            }
            w.line(acc + "[j] = a;");
        }
        w.close();
    }
}
