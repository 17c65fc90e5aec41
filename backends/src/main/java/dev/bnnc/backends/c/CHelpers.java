package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.CodeWriter;
import dev.bnnc.backends.kernels.Index;
import java.util.EnumSet;
import java.util.List;
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
        SIGN_SELECT("bnnc_sign_select"),
        PAIRED_MAX("bnnc_paired_max"),
        PAIRED_MIN("bnnc_paired_min");

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
    /** The row counts of the matrix-product blocks used (in a fixed order). */
    private final Set<Integer> products = new TreeSet<>();

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

    /** The name of the matrix product of {@code rows} output rows (see {@link dev.bnnc.backends.kernels.Dialect#product}). */
    String product(int rows) {
        products.add(rows);
        return "bnnc_product" + rows;
    }

    /**
     * The helper summing one block of columns of {@code bnnc_productR} into an array of AVX-512
     * vectors (see {@link dev.bnnc.backends.kernels.Dialect#productBlock}).
     */
    String productBlock(int rows) {
        products.add(rows);
        return blockName(rows);
    }

    private static String blockName(int rows) {
        return "bnnc_product" + rows + "_block";
    }

    /** Whether the helpers have NEON sections (then the file includes arm_neon.h where it is there). */
    boolean usesNeon() {
        return !macs.isEmpty() || !products.isEmpty();
    }

    /** Whether the helpers have AVX sections (then the file includes immintrin.h where it is there). */
    boolean usesAvx() {
        return !products.isEmpty();
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
        for (int rows : products) {
            productBlockHelpers(rows, w);
            product(rows, w);
            w.line("");
        }
        return w.toString().replaceAll("(?m)^ +#", "#"); // preprocessor lines at column 0
    }

    /**
     * max (min) of two floats that are NaN together (such as v and a positive multiple of it), in
     * the form each compiler makes one vectorizable instruction of: A64's fmaxnm (fmaxf), and
     * elsewhere the compare-select of SSE's maxps.
     */
    private static void pairedExtremum(CodeWriter w, String which, String compare) {
        w.line("/* " + which + " of a and b, which are NaN together. */")
                .open("static inline float bnnc_paired_" + which + "(float a, float b)")
                .line("#if defined(__aarch64__)")
                .line("return f" + which + "f(a, b);")
                .line("#else")
                .line("return a " + compare + " b ? a : b;")
                .line("#endif")
                .close();
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
            case PAIRED_MAX -> pairedExtremum(w, "max", ">");
            case PAIRED_MIN -> pairedExtremum(w, "min", "<");
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

    /**
     * One instruction set's vectors of floats, for the blocks of {@link #product}: {@code vectors}
     * per row of a block, {@code lanes} floats each; {@code mac} adds {@code %2$s * %3$s} (a vector
     * and a float) to {@code %1$s}; {@code laneMac}, where there is one, adds {@code %2$s} times lane
     * {@code %4$d} of the vector {@code %3$s} (the weights of a term loaded as vectors); {@code
     * block}: each block of columns summed by a helper of its own, which steps also call to apply
     * their tail to the sums before storing them ({@link #productBlock}).
     */
    private record ProductVectors(String condition, String type, int lanes, int vectors, String zero, String load,
                                  String store, String mac, String laneMac, boolean block) {}

    /**
     * The instruction sets of {@link #product}, in the order of their sections. NEON: two vectors
     * per row (16 accumulators for 8 rows), fused as {@code bnnc_mac}; for blocks of whole vectors,
     * multiplied by lanes of the term's weights loaded together. AVX-512 and AVX: one vector per
     * row, each weight broadcast for one multiply, which compilers then fold into the multiply as
     * its memory operand (a broadcast into a register takes a floating-point pipe, and more vectors
     * per row take more loads of 64 bytes: on Zen 4, where both are scarce, 8 rows of one vector
     * make the BiFSMN's first convolution's products 4.7 -> 3.7-4.1 us against 2 rows of 8 vectors,
     * 5.3 with 8 rows of 2); both round the product and the sum separately, as the portable loop.
     * Where a row's columns leave less than a block, one vector at a time (NEON), and the last
     * columns as the row's last whole vector (see {@link #productTail}).
     */
    private static final List<ProductVectors> PRODUCT_SETS = List.of(
            new ProductVectors("defined(BNNC_NEON)", "float32x4_t", 4, 2, "vdupq_n_f32(0.0f)", "vld1q_f32", "vst1q_f32",
                    "vfmaq_n_f32(%1$s, %2$s, %3$s)", "vfmaq_laneq_f32(%1$s, %2$s, %3$s, %4$d)", false),
            new ProductVectors("defined(__AVX512F__)", "__m512", 16, 1, "_mm512_setzero_ps()", "_mm512_loadu_ps",
                    "_mm512_storeu_ps", "_mm512_add_ps(%1$s, _mm512_mul_ps(%2$s, _mm512_set1_ps(%3$s)))", null, true),
            new ProductVectors("defined(__AVX__)", "__m256", 8, 1, "_mm256_setzero_ps()", "_mm256_loadu_ps",
                    "_mm256_storeu_ps", "_mm256_add_ps(%1$s, _mm256_mul_ps(%2$s, _mm256_set1_ps(%3$s)))", null, false));

    /**
     * {@code bnnc_productR(acc, n, terms, w, x)}, {@code acc[k * n + j] = sum over t of w[t * R + k]
     * * x[t * n + j]} term by term from zero, for R rows k: each block of columns is summed in
     * registers over all the terms (the vector sections), the columns left over one by one, as
     * everywhere without vectors.
     */
    private static void product(int rows, CodeWriter w) {
        w.line("/* acc[k * n + j] = w[k] * x[j] + w[" + rows + " + k] * x[n + j] + ..., term by term from 0, for k < "
                + rows + ", j < n. */");
        w.open("static inline void bnnc_product" + rows
                + "(float *restrict acc, int n, int terms, const float *restrict w, const float *restrict x)");
        w.line("int j = 0;");
        for (int i = 0; i < PRODUCT_SETS.size(); i++) {
            ProductVectors v = PRODUCT_SETS.get(i);
            w.line((i == 0 ? "#if " : "#elif ") + v.condition());
            productBlock(rows, v, v.vectors(), w);
            if (v.vectors() > 1) {
                productBlock(rows, v, 1, w); // the columns left over, a vector at a time
            }
            productTail(rows, v, w);
        }
        w.line("#endif");
        w.open("for (; j < n; j++)");
        for (int k = 0; k < rows; k++) {
            w.line("float a" + k + " = 0.0f;");
        }
        w.open("for (int t = 0; t < terms; t++)");
        w.line("#ifdef BNNC_NEON");
        for (int k = 0; k < rows; k++) {
            w.line("a" + k + " = fmaf(" + weight(rows, k, 0) + ", x[t * n + j], a" + k + ");");
        }
        w.line("#else");
        for (int k = 0; k < rows; k++) {
            w.line("a" + k + " += " + weight(rows, k, 0) + " * x[t * n + j];");
        }
        w.line("#endif");
        w.close();
        for (int k = 0; k < rows; k++) {
            w.line("acc[" + Index.times("n", k) + " + j] = a" + k + ";");
        }
        w.close();
        w.close();
    }

    /** Term t + {@code next}'s weight of row k in a block of {@code rows} (interleaved, see {@link #product}). */
    private static String weight(int rows, int k, int next) {
        return "w[" + Index.plus(termStart(rows, next), String.valueOf(k)) + "]";
    }

    /** Where term t + {@code next}'s weights start in a block of {@code rows} rows. */
    private static String termStart(int rows, int next) {
        return Index.times(next == 0 ? "t" : "(t + " + next + ")", rows);
    }

    /** The loop over whole blocks of columns of {@link #product}, {@code vectors} of one instruction set's per row. */
    private static void productBlock(int rows, ProductVectors v, int vectors, CodeWriter w) {
        int block = v.lanes() * vectors;
        w.open("for (; j + " + block + " <= n; j += " + block + ")");
        if (v.block()) {
            blockCall(rows, v, w);
        } else {
            sums(rows, v, vectors, "x + j", w);
            for (int k = 0; k < rows; k++) {
                for (int q = 0; q < vectors; q++) {
                    w.line(v.store() + "(" + Index.plus(Index.plus("acc", Index.times("n", k)), Index.plus("j", String.valueOf(q * v.lanes())))
                            + ", a" + k + "_" + q + ");");
                }
            }
        }
        w.close();
    }

    /**
     * The accumulators {@code a<k>_<q>} of a block of columns from {@code start}, {@code vectors}
     * per row, summed over all the terms.
     */
    private static void sums(int rows, ProductVectors v, int vectors, String start, CodeWriter w) {
        for (int k = 0; k < rows; k++) {
            for (int q = 0; q < vectors; q++) {
                w.line(v.type() + " a" + k + "_" + q + " = " + v.zero() + ";");
            }
        }
        w.line("const float *xp = " + start + ";");
        // Two terms a pass: half the loop's own instructions (a tenth of the pass with NEON).
        w.line("int t = 0;");
        w.open("for (; t + 2 <= terms; t += 2, xp += 2 * n)");
        productTerm(rows, v, vectors, 0, w);
        productTerm(rows, v, vectors, 1, w);
        w.close();
        w.open("if (t < terms)");
        productTerm(rows, v, vectors, 0, w);
        w.close();
    }

    /** The block helpers of {@code bnnc_productR} (see {@link #productBlock(int)}), one vector per row. */
    private static void productBlockHelpers(int rows, CodeWriter w) {
        for (ProductVectors v : PRODUCT_SETS) {
            if (v.block()) {
                w.line("#if " + v.condition());
                w.line("/* a[k] = w[k] * x[0 .. " + v.lanes() + ") + w[" + rows + " + k] * x[n .. n + " + v.lanes()
                        + ") + ..., term by term from 0, for k < " + rows + ": a block of bnnc_product" + rows + "'s columns. */");
                w.open("static inline void " + blockName(rows) + "(" + v.type()
                        + " *restrict a, int n, int terms, const float *restrict w, const float *restrict x)");
                sums(rows, v, 1, "x", w);
                for (int k = 0; k < rows; k++) {
                    w.line("a[" + k + "] = a" + k + "_0;");
                }
                w.close();
                w.line("#endif");
                w.line("");
            }
        }
    }

    /** Columns j .. of the rows by the block helper, stored. */
    private static void blockCall(int rows, ProductVectors v, CodeWriter w) {
        w.line(v.type() + " a[" + rows + "];");
        w.line(blockName(rows) + "(a, n, terms, w, x + j);");
        for (int k = 0; k < rows; k++) {
            w.line(v.store() + "(" + Index.plus(Index.plus("acc", Index.times("n", k)), "j") + ", a[" + k + "]);");
        }
    }

    /**
     * The last columns of {@link #product}, fewer than a vector's lanes, where the row has at least
     * that many: the row's last whole vector, its first lanes computed again (the same operations in
     * the same order give the same values), instead of one column at a time (a DS-CNN's 125-frame
     * planes leave 13 of 16 lanes, which one at a time cost a sixth of the layer on x86). Not masked
     * lanes: AVX-512's masked stores then stall the loads of the epilogue that reads them back.
     */
    private static void productTail(int rows, ProductVectors v, CodeWriter w) {
        w.open("if (j < n && n >= " + v.lanes() + ")");
        w.line("j = n - " + v.lanes() + ";");
        if (v.block()) {
            blockCall(rows, v, w);
        } else {
            for (int k = 0; k < rows; k++) {
                w.line(v.type() + " a" + k + "_0 = " + v.zero() + ";");
            }
            w.line("const float *xp = x + j;");
            w.open("for (int t = 0; t < terms; t++, xp += n)");
            productTerm(rows, v, 1, 0, w);
            w.close();
            for (int k = 0; k < rows; k++) {
                w.line(v.store() + "(" + Index.plus(Index.plus("acc", Index.times("n", k)), "j") + ", a" + k + "_0);");
            }
        }
        w.line("j = n;");
        w.close();
    }

    /** Adds term t + {@code next} (its inputs {@code next} rows of n on from {@code xp}) to the accumulators of {@link #productBlock}. */
    private static void productTerm(int rows, ProductVectors v, int vectors, int next, CodeWriter w) {
        w.block();
        String xp = next == 0 ? "xp" : "xp + " + Index.times("n", next);
        for (int q = 0; q < vectors; q++) {
            w.line(v.type() + " v" + q + " = " + v.load() + "(" + Index.plus(xp, String.valueOf(q * v.lanes())) + ");");
        }
        boolean byLane = v.laneMac() != null && rows % v.lanes() == 0;
        if (byLane) {
            for (int i = 0; i < rows / v.lanes(); i++) {
                w.line(v.type() + " w" + i + " = " + v.load() + "(w + " + Index.plus(termStart(rows, next), String.valueOf(i * v.lanes()))
                        + ");");
            }
        }
        for (int k = 0; k < rows; k++) {
            for (int q = 0; q < vectors; q++) {
                String acc = "a" + k + "_" + q;
                w.line(acc + " = " + (byLane
                        ? String.format(v.laneMac(), acc, "v" + q, "w" + k / v.lanes(), k % v.lanes())
                        : String.format(v.mac(), acc, "v" + q, weight(rows, k, next))) + ";");
            }
        }
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
