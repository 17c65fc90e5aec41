package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.CodeWriter;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The static inline functions a generated C file defines for its kernels, recorded as the kernels
 * ask for them and written once, only those used, in a fixed order (output is deterministic).
 */
final class CHelpers {
    /** Fixed helpers, in the order they are written. */
    enum Helper {
        FMAX("bnnc_fmax"),
        FMIN("bnnc_fmin"),
        IMAX("bnnc_imax"),
        IMIN("bnnc_imin"),
        POPCOUNT("bnnc_popcount"),
        FLOAT_BITS("bnnc_float_bits"),
        SIGN_SELECT("bnnc_sign_select");

        final String function;

        Helper(String function) {
            this.function = function;
        }
    }

    /**
     * Columns per block of the NEON multiply-accumulate: 32 accumulators in eight vectors of 4 floats,
     * or 16 in four for each of two accumulator rows.
     */
    private static final int BLOCK = 32;
    /** Most terms per multiply-accumulate pass: their scales and row pointers fit in registers. */
    static final int MAX_TERMS = 8;

    private final Set<Helper> used = EnumSet.noneOf(Helper.class);
    /** The multiply-accumulate passes used, as accumulators * 100 + terms (in a fixed order). */
    private final Set<Integer> macs = new TreeSet<>();

    String call(Helper h, String... args) {
        used.add(h);
        return h.function + "(" + String.join(", ", args) + ")";
    }

    /** The name of the multiply-accumulate pass over {@code terms} rows into {@code accs} (1 or 2) accumulator rows. */
    String multiplyAccumulate(int accs, int terms) {
        macs.add(accs * 100 + terms);
        return macName(accs, terms);
    }

    private static String macName(int accs, int terms) {
        return accs == 1 ? "bnnc_mac" + terms : "bnnc_mac" + accs + "x" + terms;
    }

    boolean usesMultiplyAccumulate() {
        return !macs.isEmpty();
    }

    /** The definitions of every helper used so far. */
    String render() {
        CodeWriter w = new CodeWriter();
        for (Helper h : used) {
            write(h, w);
            w.line("");
        }
        for (int mac : macs) {
            multiplyAccumulate(mac / 100, mac % 100, w);
            w.line("");
        }
        return w.toString().replaceAll("(?m)^ +#", "#"); // preprocessor lines at column 0
    }

    private static void write(Helper h, CodeWriter w) {
        switch (h) {
            case FMAX -> w.line("/* max with Java's rule for NaN: a NaN operand gives NaN (fmaxf would drop it). */")
                    .open("static inline float bnnc_fmax(float a, float b)")
                    .line("return a > b || a != a ? a : b;")
                    .close();
            case FMIN -> w.line("/* min with Java's rule for NaN: a NaN operand gives NaN (fminf would drop it). */")
                    .open("static inline float bnnc_fmin(float a, float b)")
                    .line("return a < b || a != a ? a : b;")
                    .close();
            case IMAX -> w.open("static inline int bnnc_imax(int a, int b)").line("return a > b ? a : b;").close();
            case IMIN -> w.open("static inline int bnnc_imin(int a, int b)").line("return a < b ? a : b;").close();
            case POPCOUNT -> w.open("static inline int bnnc_popcount(uint64_t v)")
                    .line("#if defined(__GNUC__)")
                    .line("return __builtin_popcountll(v);")
                    .line("#else")
                    .line("v = v - ((v >> 1) & UINT64_C(0x5555555555555555));")
                    .line("v = (v & UINT64_C(0x3333333333333333)) + ((v >> 2) & UINT64_C(0x3333333333333333));")
                    .line("v = (v + (v >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);")
                    .line("return (int) ((v * UINT64_C(0x0101010101010101)) >> 56);")
                    .line("#endif")
                    .close();
            case FLOAT_BITS -> w.line("/* The IEEE bits of a float (memcpy is how C99 reinterprets; compilers emit one move). */")
                    .open("static inline int32_t bnnc_float_bits(float f)")
                    .line("int32_t i;")
                    .line("memcpy(&i, &f, sizeof i);")
                    .line("return i;")
                    .close();
            case SIGN_SELECT -> w.line("/* if_negative if the sign bit of v is set, else otherwise, without a branch. */")
                    .open("static inline float bnnc_sign_select(float v, float if_negative, float otherwise)")
                    .line("uint32_t a, b, o, r;")
                    .line("float f;")
                    .line("memcpy(&a, &v, sizeof a);")
                    .line("memcpy(&b, &if_negative, sizeof b);")
                    .line("memcpy(&o, &otherwise, sizeof o);")
                    .line("r = o ^ ((o ^ b) & (0u - (a >> 31)));")
                    .line("memcpy(&f, &r, sizeof f);")
                    .line("return f;")
                    .close();
        }
    }

    /**
     * {@code bnnc_macN(acc, n, s0, x0, ..., sN-1, xN-1)}: {@code acc[j] += s0 * x0[j]}, then the
     * next term, ..., for j in [0, n); {@code bnnc_mac2xN(acc0, acc1, n, s0_0, s1_0, x0, ...)} the same
     * into two accumulator rows at once, each row loaded once for both. With NEON the accumulators of
     * a block of columns stay in registers across the N terms, each row pointer advances by the
     * block (so that loads pair up and take immediate offsets), and each multiply-add is one fused
     * instruction ({@code vfmaq_n_f32}); the portable loop rounds the product and the sum
     * separately, as the interpreter does.
     */
    private static void multiplyAccumulate(int accs, int terms, CodeWriter w) {
        StringBuilder params = new StringBuilder();
        for (int k = 0; k < accs; k++) {
            params.append(k == 0 ? "" : ", ").append("float *restrict acc").append(accs == 1 ? "" : k);
        }
        params.append(", int n");
        for (int u = 0; u < terms; u++) {
            for (int k = 0; k < accs; k++) {
                params.append(", float s").append(u).append(accs == 1 ? "" : "_" + k);
            }
            params.append(", const float *x").append(u);
        }
        String[] acc = new String[accs];
        String[] scale = new String[accs * terms];
        for (int k = 0; k < accs; k++) {
            acc[k] = accs == 1 ? "acc" : "acc" + k;
            for (int u = 0; u < terms; u++) {
                scale[u * accs + k] = accs == 1 ? "s" + u : "s" + u + "_" + k;
            }
        }
        w.line("/* " + (accs == 1 ? "acc[j]" : "acc0[j], acc1[j]") + " += s0 * x0[j]" + (terms > 1 ? " + ... + s" + (terms - 1)
                + " * x" + (terms - 1) + "[j]" : "") + (terms > 1 ? ", term by term," : "") + " for j in [0, n)"
                + (accs == 1 ? "" : " (scales s<term>_<row>)") + ". */");
        w.open("static inline void " + macName(accs, terms) + "(" + params + ")");
        w.line("int j = 0;");
        w.line("#ifdef BNNC_NEON");
        int block = BLOCK / accs;
        int vectors = block / 4;
        w.open("for (; n >= " + block + "; n -= " + block + ")");
        for (int k = 0; k < accs; k++) {
            for (int q = 0; q < vectors; q++) {
                w.line("float32x4_t a" + k + "_" + q + " = vld1q_f32(" + acc[k] + " + " + 4 * q + ");");
            }
        }
        for (int u = 0; u < terms; u++) {
            for (int q = 0; q < vectors; q++) {
                w.line("float32x4_t v" + u + "_" + q + " = vld1q_f32(x" + u + " + " + 4 * q + ");");
            }
            for (int k = 0; k < accs; k++) {
                for (int q = 0; q < vectors; q++) {
                    w.line("a" + k + "_" + q + " = vfmaq_n_f32(a" + k + "_" + q + ", v" + u + "_" + q + ", " + scale[u * accs + k] + ");");
                }
            }
            w.line("x" + u + " += " + block + ";");
        }
        for (int k = 0; k < accs; k++) {
            for (int q = 0; q < vectors; q++) {
                w.line("vst1q_f32(" + acc[k] + " + " + 4 * q + ", a" + k + "_" + q + ");");
            }
            w.line(acc[k] + " += " + block + ";");
        }
        w.close();
        w.open("for (; j + 4 <= n; j += 4)");
        for (int k = 0; k < accs; k++) {
            w.line("float32x4_t a" + k + " = vld1q_f32(" + acc[k] + " + j);");
        }
        for (int u = 0; u < terms; u++) {
            w.line("float32x4_t v" + u + " = vld1q_f32(x" + u + " + j);");
            for (int k = 0; k < accs; k++) {
                w.line("a" + k + " = vfmaq_n_f32(a" + k + ", v" + u + ", " + scale[u * accs + k] + ");");
            }
        }
        for (int k = 0; k < accs; k++) {
            w.line("vst1q_f32(" + acc[k] + " + j, a" + k + ");");
        }
        w.close();
        w.open("for (; j < n; j++)");
        accumulateScalar(accs, terms, w, acc, scale, true);
        w.close();
        w.line("#else");
        w.open("for (; j < n; j++)");
        accumulateScalar(accs, terms, w, acc, scale, false);
        w.close();
        w.line("#endif");
        w.close();
    }

    /** One column: fused ({@code fmaf}) or rounded twice, as the interpreter. */
    private static void accumulateScalar(int accs, int terms, CodeWriter w, String[] acc, String[] scale, boolean fused) {
        for (int k = 0; k < accs; k++) {
            w.line("float a" + k + " = " + acc[k] + "[j];");
        }
        for (int u = 0; u < terms; u++) {
            for (int k = 0; k < accs; k++) {
                String s = scale[u * accs + k];
                w.line("a" + k + (fused ? " = fmaf(" + s + ", x" + u + "[j], a" + k + ");" : " += " + s + " * x" + u + "[j];"));
            }
        }
        for (int k = 0; k < accs; k++) {
            w.line(acc[k] + "[j] = a" + k + ";");
        }
    }
}
