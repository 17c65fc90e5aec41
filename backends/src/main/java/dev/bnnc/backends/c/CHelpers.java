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

    /** Columns per block of the NEON multiply-accumulate: eight vectors of 4 floats. */
    private static final int BLOCK = 32;
    /** Most terms per multiply-accumulate pass: their scales and row pointers fit in registers. */
    static final int MAX_TERMS = 8;

    private final Set<Helper> used = EnumSet.noneOf(Helper.class);
    private final Set<Integer> macTerms = new TreeSet<>();

    String call(Helper h, String... args) {
        used.add(h);
        return h.function + "(" + String.join(", ", args) + ")";
    }

    /** The name of the multiply-accumulate pass over {@code terms} rows. */
    String multiplyAccumulate(int terms) {
        macTerms.add(terms);
        return "bnnc_mac" + terms;
    }

    boolean usesMultiplyAccumulate() {
        return !macTerms.isEmpty();
    }

    /** The definitions of every helper used so far. */
    String render() {
        CodeWriter w = new CodeWriter();
        for (Helper h : used) {
            write(h, w);
            w.line("");
        }
        for (int terms : macTerms) {
            multiplyAccumulate(terms, w);
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
            case SIGN_SELECT -> w.line("/* v if its sign bit is clear, else if_negative, without a branch. */")
                    .open("static inline float bnnc_sign_select(float v, float if_negative)")
                    .line("uint32_t a, b, r;")
                    .line("float f;")
                    .line("memcpy(&a, &v, sizeof a);")
                    .line("memcpy(&b, &if_negative, sizeof b);")
                    .line("r = a ^ ((a ^ b) & (0u - (a >> 31)));")
                    .line("memcpy(&f, &r, sizeof f);")
                    .line("return f;")
                    .close();
        }
    }

    /**
     * {@code bnnc_macN(acc, n, s0, x0, ..., sN-1, xN-1)}: {@code acc[j] += s0 * x0[j]}, then the
     * next term, ..., for j in [0, n). With NEON the accumulators of a block of columns stay in
     * registers across the N terms, each row pointer advances by the block (so that loads pair up
     * and take immediate offsets), and each multiply-add is one fused instruction
     * ({@code vfmaq_n_f32}); the portable loop rounds the product and the sum separately, as the
     * interpreter does.
     */
    private static void multiplyAccumulate(int terms, CodeWriter w) {
        StringBuilder params = new StringBuilder("float *restrict acc, int n");
        for (int u = 0; u < terms; u++) {
            params.append(", float s").append(u).append(", const float *x").append(u);
        }
        w.line("/* acc[j] += s0 * x0[j]" + (terms > 1 ? " + ... + s" + (terms - 1) + " * x" + (terms - 1) + "[j]" : "")
                + (terms > 1 ? ", term by term," : "") + " for j in [0, n). */");
        w.open("static inline void bnnc_mac" + terms + "(" + params + ")");
        w.line("int j = 0;");
        w.line("#ifdef BNNC_NEON");
        int vectors = BLOCK / 4;
        w.open("for (; n >= " + BLOCK + "; n -= " + BLOCK + ")");
        for (int q = 0; q < vectors; q++) {
            w.line("float32x4_t a" + q + " = vld1q_f32(acc + " + 4 * q + ");");
        }
        for (int u = 0; u < terms; u++) {
            for (int q = 0; q < vectors; q++) {
                w.line("a" + q + " = vfmaq_n_f32(a" + q + ", vld1q_f32(x" + u + " + " + 4 * q + "), s" + u + ");");
            }
            w.line("x" + u + " += " + BLOCK + ";");
        }
        for (int q = 0; q < vectors; q++) {
            w.line("vst1q_f32(acc + " + 4 * q + ", a" + q + ");");
        }
        w.line("acc += " + BLOCK + ";");
        w.close();
        w.open("for (; j + 4 <= n; j += 4)");
        w.line("float32x4_t a = vld1q_f32(acc + j);");
        for (int u = 0; u < terms; u++) {
            w.line("a = vfmaq_n_f32(a, vld1q_f32(x" + u + " + j), s" + u + ");");
        }
        w.line("vst1q_f32(acc + j, a);");
        w.close();
        w.open("for (; j < n; j++)");
        w.line("float a = acc[j];");
        for (int u = 0; u < terms; u++) {
            w.line("a = fmaf(s" + u + ", x" + u + "[j], a);");
        }
        w.line("acc[j] = a;");
        w.close();
        w.line("#else");
        w.open("for (; j < n; j++)");
        w.line("float a = acc[j];");
        for (int u = 0; u < terms; u++) {
            w.line("a += s" + u + " * x" + u + "[j];");
        }
        w.line("acc[j] = a;");
        w.close();
        w.line("#endif");
        w.close();
    }
}
