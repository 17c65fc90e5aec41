package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * x86-64 versions of the binary kernels, for the C backend, in front of the portable ones: with
 * AVX-512, or with AVX2 where it is missing (the same schedules in two vectors of 4 lanes, each
 * word's popcount from nibble lookups, {@code vpshufb}, summed by {@code vpsadbw}).
 * With {@code VPOPCNTQ} a 64-bit word's popcount is one lane of one instruction, so the lanes are
 * 8 dot products' running counts in 64 bits (no byte sums to reduce, no length limit): lane j
 * holds output channel {@code c + j}, its weight words laid out anew so that word q of 8
 * channels is one vector, against the input row's word q broadcast. The epilogue runs on that
 * vector: thresholds compared into an 8-bit mask, which is the packed output's 8 bits, or the
 * affine map and the step's element-wise tail on 8 floats ({@link LaneTail}). The depthwise memory
 * convolution's lanes are 8 output positions of a channel, each its own shift of the input word.
 * They cover inputs without zeros (the zero mask's flag word is 0) and channels in whole batches of
 * 8; otherwise the portable kernel runs. Everything is exact, as the portable kernels are.
 */
final class X86BitKernels extends SimdBitKernels {
    /** Most words broadcast into registers for {@link Epilogue#rowBlockSigns}: half of AVX-512's 32. */
    private static final int MAX_BROADCAST_WORDS = 16;
    /** AVX-512, else AVX2. */
    private final boolean avx512;

    X86BitKernels(Node node, List<Node> tail, StepEnv env, boolean avx512) {
        super(node, tail, env, avx512 ? AVX512_FLOATS : AVX2_FLOATS);
        this.avx512 = avx512;
    }

    /**
     * The float convolutions whose products sum in registers (the im2col schedule, see {@link
     * ConvKernel#emitOnLanes}): on 16 lanes, their tail applied before the one store.
     */
    @Override
    boolean floatConv(Conv op) {
        return avx512 && ConvKernel.emitOnLanes(op, node, env, new ElementTail(node, tailNodes, env), ZMM_FLOATS, 2 * LANES, w);
    }

    /**
     * Packing signs. Channels consecutive (inner 1) in whole bytes per group: a vector's 8 sign bits are 8 bits of
     * a word ({@code movemask}). Else 8 positions at a time (inner a multiple of 8): each lane
     * builds its position's word from the channels' sign bits, in 32-bit halves. A vector
     * comparison notes whether any element was ±0 or NaN.
     */
    @Override
    boolean pack(PackSigns op, PackKernel.Words s) {
        if (avx512 && (byteWords512(op, s) || pack512(op, s))) {
            return true;
        }
        boolean bytes = s.inner == 1 && s.cg % LANES == 0;
        if (!bytes && s.inner % LANES != 0) {
            return false;
        }
        Value x = node.input(0);
        Value bits = node.outputs().get(0);
        w.block();
        w.line("__m256 bad = _mm256_setzero_ps();");
        w.loop("o", 0, s.outer).loop("i", 0, bytes ? 1 : s.inner / LANES).loop("g", 0, s.groups);
        for (int k = 0; k < s.wpg; k++) {
            int count = Math.min(PackLayout.WORD, s.cg - k * PackLayout.WORD);
            String first = "(o * " + s.channels + " + g * " + s.cg + " + " + k * PackLayout.WORD + ") * " + s.inner;
            String word = s.word(bytes ? "0" : "i * " + LANES, k);
            if (bytes) {
                StringBuilder packed = new StringBuilder();
                for (int b = 0; b < count; b += LANES) {
                    String v = "v" + k + "_" + b;
                    checked(v, env.pointer(x, first + " + " + b));
                    packed.append(b == 0 ? "" : " | ").append("(uint64_t) _mm256_movemask_ps(" + v + ")" + (b == 0 ? "" : " << " + b));
                }
                w.line(env.at(bits, word) + " = " + packed + ";");
                continue;
            }
            w.block();
            w.line("const float *xp = " + env.pointer(x, first + " + i * " + LANES) + ";");
            String lo = signHalf("lo", 0, Math.min(32, count), s.inner);
            String hi = count > 32 ? signHalf("hi", 32, count - 32, s.inner) : null;
            int stride = s.groups * s.wpg;
            String at = env.pointer(bits, word);
            if (avx512) {
                storeWords512(lo, hi, at, stride);
            } else {
                storeWords256(lo, hi, at, stride);
            }
            w.close();
        }
        w.close().close().close();
        packed(op, "_mm256_movemask_ps(bad) == 0");
        w.close();
        return true;
    }

    /**
     * AVX-512 packing in 16 lanes: 16 positions of a channel (inner a multiple of 16), or 8
     * positions of two neighbouring channels (inner 8, even channel counts per word: channel c's
     * bit in the low half, c + 1's at the same bit of the high half, shifted into place at the end).
     * Half as many instructions per element as 8 lanes; a comparison mask notes ±0 and NaN.
     */
    private boolean pack512(PackSigns op, PackKernel.Words s) {
        boolean pairs = s.inner == LANES;
        if (!pairs && s.inner % (2 * LANES) != 0) {
            return false;
        }
        for (int k = 0; k < s.wpg; k++) {
            if (pairs && Math.min(PackLayout.WORD, s.cg - k * PackLayout.WORD) % 2 != 0) {
                return false;
            }
        }
        Value x = node.input(0);
        Value bits = node.outputs().get(0);
        int positions = pairs ? LANES : 2 * LANES;
        w.block();
        w.line("__mmask16 bad = 0;");
        w.loop("o", 0, s.outer).loop("i", 0, s.inner / positions).loop("g", 0, s.groups);
        for (int k = 0; k < s.wpg; k++) {
            int count = Math.min(PackLayout.WORD, s.cg - k * PackLayout.WORD);
            w.block();
            w.line("const float *xp = " + env.pointer(x, "(o * " + s.channels + " + g * " + s.cg + " + " + k * PackLayout.WORD
                    + ") * " + s.inner + " + i * " + positions) + ";");
            String lo = signHalf512("lo", 0, Math.min(32, count), s.inner, pairs);
            String hi = count > 32 ? signHalf512("hi", 32, count - 32, s.inner, pairs) : null;
            int stride = s.groups * s.wpg;
            String at = env.pointer(bits, s.word("i * " + positions, k));
            if (pairs) {
                storeWords512(lo, hi, at, stride);
            } else {
                for (int part = 0; part < 2; part++) {
                    storeWords512(half256(lo, part), hi == null ? null : half256(hi, part),
                            part == 0 ? at : at + " + " + LANES * stride, stride);
                }
            }
            w.close();
        }
        w.close().close().close();
        packed(op, "bad == 0");
        w.close();
        return true;
    }

    /**
     * AVX-512 packing of words of 8 consecutive elements (8 channels, inner 1: a D-FSMN memory
     * layer's input, one word per channel of 8 frames), 8 words at a time: four vectors' sign masks
     * are the 8 words' bytes, widened into one vector of words and stored at once, where 8 lanes of
     * a vector at a time took a mask, a store and their loop per word; a comparison on the four
     * vectors' product notes ±0 and NaN.
     */
    private boolean byteWords512(PackSigns op, PackKernel.Words s) {
        if (s.inner != 1 || s.channels != LANES || s.outer % LANES != 0) {
            return false;
        }
        Value x = node.input(0);
        Value bits = node.outputs().get(0);
        int vectors = PackLayout.WORD / (2 * LANES); // 8 words of 8 elements in vectors of 16 floats
        w.block();
        w.line("__mmask16 bad = 0;");
        w.loop("o", 0, s.outer / LANES);
        w.line("const float *xp = " + env.pointer(x, "o * " + LANES * LANES) + ";");
        List<String> vs = new ArrayList<>();
        StringBuilder masks = new StringBuilder();
        for (int v = 0; v < vectors; v++) {
            vs.add("v" + v);
            w.line("__m512 v" + v + " = _mm512_loadu_ps(xp + " + v * 2 * LANES + ");");
            masks.append(v == 0 ? "" : " | ").append("(uint64_t) _mm512_movepi32_mask(_mm512_castps_si512(v" + v + "))"
                    + (v == 0 ? "" : " << " + v * 2 * LANES));
        }
        // One comparison for the four vectors, on their product (see SimdBitKernels#pairwise).
        w.line("bad |= _mm512_cmp_ps_mask(" + pairwise(vs, "_mm512_mul_ps") + ", _mm512_setzero_ps(), _CMP_EQ_UQ);");
        w.line("uint64_t signs = " + masks + ";");
        w.line("_mm512_storeu_si512((void *) (" + env.pointer(bits, "o * " + LANES) + "), _mm512_cvtepu8_epi64(_mm_cvtsi64_si128((long long) signs)));");
        w.close();
        packed(op, "bad == 0");
        w.close();
        return true;
    }

    /** The low ({@code part} 0) or high 256 bits of {@code v}. */
    private static String half256(String v, int part) {
        return part == 0 ? "_mm512_castsi512_si256(" + v + ")" : "_mm512_extracti64x4_epi64(" + v + ", 1)";
    }

    /**
     * Declares the 32-bit halves of the words of {@link #pack512} for channels {@code first} on
     * ({@code count} of them, from {@code xp}, channels {@code inner} apart): {@code __m512i half}
     * for 16 positions, or {@code __m256i half} for 8 positions of channel pairs; returns its name.
     */
    private String signHalf512(String half, int first, int count, int inner, boolean pairs) {
        String acc = pairs ? half + "_pairs" : half;
        w.line("__m512i " + acc + " = _mm512_setzero_si512();");
        List<String> unchecked = new ArrayList<>();
        int step = pairs ? 2 : 1;
        for (int b = 0; b < count; b += step) {
            String v = half + b;
            w.line("__m512 " + v + " = _mm512_loadu_ps(xp + " + (first + b) * inner + ");");
            unchecked.add(v);
            if (unchecked.size() == 4 || b + step >= count) {
                // One comparison per four vectors, on their product (see SimdBitKernels#pairwise).
                w.line("bad |= _mm512_cmp_ps_mask(" + pairwise(unchecked, "_mm512_mul_ps") + ", _mm512_setzero_ps(), _CMP_EQ_UQ);");
                unchecked.clear();
            }
            w.line(acc + " = " + withSignBit("_mm512", acc, v, b) + ";");
        }
        if (pairs) {
            w.line("__m256i " + half + " = _mm256_or_si256(" + half256(acc, 0) + ", _mm256_slli_epi32(" + half256(acc, 1) + ", 1));");
        }
        return half;
    }

    /** The 8 lanes' words (32-bit halves {@code lo}, and {@code hi} unless null) to {@code at}, {@code stride} apart. */
    private void storeWords512(String lo, String hi, String at, int stride) {
        String value = "_mm512_cvtepu32_epi64(" + lo + ")";
        if (hi != null) {
            value = "_mm512_or_si512(" + value + ", _mm512_slli_epi64(_mm512_cvtepu32_epi64(" + hi + "), 32))";
        }
        if (stride == 1) {
            w.line("_mm512_storeu_si512((void *) (" + at + "), " + value + ");");
        } else {
            w.line("_mm512_i64scatter_epi64((void *) (" + at + "), _mm512_setr_epi64(" + apart(stride) + "), " + value + ", 8);");
        }
    }

    /** As {@link #storeWords512} with AVX2: two vectors of 4 words, stored one by one where they are apart. */
    private void storeWords256(String lo, String hi, String at, int stride) {
        w.line("uint64_t packed[" + LANES + "];");
        for (int part = 0; part < 2; part++) {
            String value = "_mm256_cvtepu32_epi64(" + half128(lo, part) + ")";
            if (hi != null) {
                value = "_mm256_or_si256(" + value + ", _mm256_slli_epi64(_mm256_cvtepu32_epi64(" + half128(hi, part) + "), 32))";
            }
            w.line("_mm256_storeu_si256((__m256i *) (packed + " + part * LANES / 2 + "), " + value + ");");
        }
        if (stride == 1) {
            w.line("memcpy(" + at + ", packed, sizeof packed);");
        } else {
            w.loop("j", 0, LANES).line("(" + at + ")[j * " + stride + "] = packed[j];").close();
        }
    }

    /** The low ({@code part} 0) or high 128 bits of {@code v}. */
    private static String half128(String v, int part) {
        return part == 0 ? "_mm256_castsi256_si128(" + v + ")" : "_mm256_extracti128_si256(" + v + ", 1)";
    }

    /** Declares {@code __m256 name}, 8 floats at {@code pointer}, noting in {@code bad} where they are ±0 or NaN. */
    private void checked(String name, String pointer) {
        w.line("__m256 " + name + " = _mm256_loadu_ps(" + pointer + ");");
        w.line("bad = _mm256_or_ps(bad, _mm256_cmp_ps(" + name + ", _mm256_setzero_ps(), _CMP_EQ_UQ));");
    }

    /**
     * Declares {@code __m256i half}: in lane j, bit b the sign of channel {@code first + b} at
     * position j (from {@code xp}, channels {@code inner} apart), for b in [0, count); returns its name.
     */
    private String signHalf(String half, int first, int count, int inner) {
        w.line("__m256i " + half + " = _mm256_setzero_si256();");
        for (int b = 0; b < count; b++) {
            String v = half + b;
            checked(v, "xp + " + (first + b) * inner);
            w.line(half + " = " + withSignBit("_mm256", half, v, b) + ";");
        }
        return half;
    }

    /**
     * {@code acc | (the bits of floats v >> (31 - b)) & bit b} in vectors of the intrinsics' prefix
     * {@code width} ({@code _mm256}, {@code _mm512}): one ternary-logic instruction with AVX-512.
     */
    private String withSignBit(String width, String acc, String v, int b) {
        String integers = width.equals("_mm512") ? "si512" : "si256";
        String shifted = width + "_srli_epi32(" + width + "_castps_" + integers + "(" + v + "), " + (31 - b) + ")";
        String bit = width + "_set1_epi32(" + (b == 31 ? "INT32_MIN" : String.valueOf(1 << b)) + ")";
        return avx512 ? width + "_ternarylogic_epi32(" + acc + ", " + shifted + ", " + bit + ", 0xf8)"
                : width + "_or_" + integers + "(" + acc + ", " + width + "_and_" + integers + "(" + shifted + ", " + bit + "))";
    }

    // ---- dot products ----

    @Override
    boolean dense(BinaryDense op) {
        Value x = node.input(0);
        int words = x.type().shape().dim(x.type().rank() - 1);
        int rows = x.type().size() / words;
        Value wv = node.input(op.weightInput());
        int n = wv.type().dim(0);
        if (!covers(op, n)) {
            return false;
        }
        Rows weights = rows(env.constant(wv).orElseThrow(), n, words);
        flagged(op, () -> {
            Epilogue e = new Epilogue(op, Lengths.of(op.inFeatures()), n);
            w.loop("r", 0, rows);
            e.rowDots(env.pointer(x, "r * " + words), words, weights, "0", "r", "r * " + n, 1);
            w.close();
            e.finish();
        });
        return true;
    }

    /** 1x1 layers: the dot products of each position's words, channels of a group reading that group's words. */
    @Override
    boolean pointwise(BinaryConv op) {
        Pointwise g = Pointwise.of(op, node);
        Value x = g.x();
        Value wv = g.weight();
        int mg = g.m() / g.group();
        if (!covers(op, g.m()) || mg % LANES != 0 || op.output() != BinaryOutput.AFFINE && g.group() != 1) {
            return false;
        }
        if (op.output() == BinaryOutput.AFFINE && g.group() == 1 && g.plane() % LANES == 0) {
            flagged(op, () -> positionLanes(op, g.batch(), g.plane(), g.wordsPerGroup(), g.m(), new PositionRows(env.pointer(x, "0"), false),
                    i -> env.word(wv, i), Lengths.of(op.channels())));
            return true;
        }
        Rows weights = rows(env.constant(wv).orElseThrow(), g.m(), g.wordsPerGroup());
        int rows = g.batch() * g.plane();
        int block = op.output() == BinaryOutput.AFFINE ? 1 : rowsPerWeightLoad(op, rows, g.wordsPerGroup());
        flagged(op, () -> {
            Epilogue e = new Epilogue(op, Lengths.of(op.channels() / g.group()), g.m());
            if (block > 1) {
                w.loop("rb", 0, rows / block);
                e.rowBlockSigns(block, g.wordsPerGroup(), weights, r -> "rb * " + block + " + " + r);
                w.close();
                e.finish();
                return;
            }
            w.loop("n", 0, g.batch()).loop("p", 0, g.plane());
            e.rowDots(env.pointer(x, "(n * " + g.plane() + " + p) * " + g.group() * g.wordsPerGroup()), g.wordsPerGroup(), weights,
                    "c / " + mg + " * " + g.wordsPerGroup(), "n * " + g.plane() + " + p", "n * " + g.m() * g.plane() + " + p", g.plane());
            w.close().close();
            e.finish();
        });
        return true;
    }

    /**
     * The 8 dot products {@code K - 2 * acc} as floats for an affine epilogue: one negated
     * multiply-add on 8 floats, exact (integers far below 2^24), where the subtraction and shift
     * in 64-bit lanes take twice the vector width (on Zen 4 projections 10% faster, the 5x5
     * convolution with its table of lengths 3%).
     */
    private String dotFloats512(Lengths k) {
        return "_mm256_fnmadd_ps(_mm512_cvtepi64_ps(acc), _mm256_set1_ps(2.0f), " + k.floats() + ")";
    }

    /**
     * How many of a signs-out layer's {@code rows} input rows ({@code words} words each) share each
     * load of a batch's weights ({@link Epilogue#rowBlockSigns}): the most, up to 8 (4 with a zero
     * mask, each row then building two words in general registers), that divide {@code rows} and
     * whose broadcast words take at most 16 of AVX-512's 32 vector registers; 1 (row by row)
     * without AVX-512.
     */
    private int rowsPerWeightLoad(BinaryLayerOp op, int rows, int words) {
        int most = Math.min(zeroMask(op) == null ? LANES : LANES / 2, MAX_BROADCAST_WORDS / words);
        for (int block = avx512 ? most : 1; block > 1; block--) {
            if (rows % block == 0) {
                return block;
            }
        }
        return 1;
    }

    /**
     * Rows of words for {@link #positionLanes}, position p's {@code words} words at {@code array + p
     * * words}, or, {@code wordMajor}, word q of every position together (position p's at {@code
     * array + q * positions + p}).
     */
    private record PositionRows(String array, boolean wordMajor) {}

    /**
     * A layer into floats with lanes over 8 positions, so that its outputs (channels first) and the
     * tail's operands are consecutive: word q of the 8 positions' rows loaded (word-major rows) or
     * gathered into one vector once, against each channel's weight word q broadcast ({@code weight}
     * of {@code "c * words + q"}); {@code k} the 8 lanes' dot product length for channel {@code c}
     * from position {@code p0}.
     */
    private void positionLanes(BinaryLayerOp op, int batch, int plane, int words, int m, PositionRows rows,
            UnaryOperator<String> weight, Lengths k) {
        if (!avx512) {
            popcountTables();
        }
        if (!rows.wordMajor()) {
            w.line(avx512 ? "const __m512i apart = _mm512_setr_epi64(" + apart(words) + ");"
                    : "const __m256i apart = _mm256_setr_epi64x(0, " + words + ", " + 2 * words + ", " + 3 * words + ");");
        }
        w.loop("n", 0, batch).loop("p", 0, plane / LANES);
        w.line("int p0 = p * " + LANES + ";");
        String first = rows.wordMajor() ? rows.array() + " + q * " + batch * plane + " + n * " + plane + " + p0"
                : rows.array() + " + (n * " + plane + " + p0) * " + words + " + q";
        if (avx512) {
            w.line("__m512i xt[" + words + "];");
            w.loop("q", 0, words);
            w.line("xt[q] = " + (rows.wordMajor() ? "_mm512_loadu_si512((const void *) (" + first + "))"
                    : "_mm512_i64gather_epi64(apart, (const void *) (" + first + "), 8)") + ";");
        } else {
            // Positions p0 .. p0 + 3 in xt0, the next 4 in xt1.
            w.line("__m256i xt0[" + words + "], xt1[" + words + "];");
            w.loop("q", 0, words);
            for (int h = 0; h < 2; h++) {
                String at = first + (h == 0 ? "" : " + " + (rows.wordMajor() ? LANES / 2 : LANES / 2 * words));
                w.line("xt" + h + "[q] = " + (rows.wordMajor() ? "_mm256_loadu_si256((const __m256i *) (" + at + "))"
                        : "_mm256_i64gather_epi64((const long long *) (" + at + "), apart, 8)") + ";");
            }
        }
        w.close();
        w.loop("c", 0, m);
        String wq = "(long long) " + weight.apply("c * " + words + " + q");
        String dots;
        if (avx512) {
            w.line("__m512i acc = _mm512_setzero_si512();");
            w.loop("q", 0, words);
            w.line("acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_xor_si512(xt[q], _mm512_set1_epi64(" + wq + "))));");
            w.close();
            dots = dotFloats512(k);
        } else {
            sums256(words, "__m256i wq = _mm256_set1_epi64x(" + wq + ");", h -> "xt" + h + "[q]", "wq", k);
            dots = floats256("dot0", "dot1");
        }
        tail.affine(w, "y", dots, op.parameterInput(), new LaneTail.Lanes(false, "c", "(n * " + m + " + c) * " + plane + " + p0", 1));
        w.close().close().close();
    }

    /** Convolutions with taps: the portable gathering of patches, then dense dot products over them. */
    @Override
    boolean patches(BinaryConv op) {
        PatchConv pc = new PatchConv(op, node, env, new ElementTail(node, tailNodes, env));
        int m = pc.channels();
        int words = pc.patchWords();
        if (pc.group() != 1 || !covers(op, m)) {
            return false;
        }
        PatchConv.Classes classes = pc.classes();
        int plane = pc.plane();
        if (op.output() == BinaryOutput.AFFINE && plane % LANES == 0) {
            Tensor patchWeights = pc.patchWeights();
            String array = env.derivedConstant(patchWeights);
            int bits = WeightStorage.elementBits(patchWeights);
            Lengths k = Lengths.of(pc.dotLength());
            if (classes.table != null) {
                Tensor lengths = classes.tableByPosition();
                k = new Lengths(null, env.derivedConstant(lengths) + " + c * " + plane + " + p0", WeightStorage.elementBits(lengths));
            }
            Lengths kv = k;
            boolean wordMajor = pc.wordMajorPatches();
            flagged(op, () -> {
                String[] patches = pc.gatherPatches(w, false, wordMajor);
                positionLanes(op, pc.batch(), plane, words, m, new PositionRows(patches[0], wordMajor),
                        i -> env.dialect().widenWord(array + "[" + i + "]", bits), kv);
            });
            return true;
        }
        Rows weights = rows(pc.patchWeights(), m, words);
        Lengths k = classes.table == null ? Lengths.of(pc.dotLength())
                : new Lengths(null, env.derivedConstant(classes.table) + " + cls * " + m + " + c", WeightStorage.elementBits(classes.table));
        flagged(op, () -> {
            String[] patches = pc.gatherPatches(w, false);
            Epilogue e = new Epilogue(op, k, m);
            pc.positions(w, classes, () -> e.rowDots(patches[0] + " + row", words, weights, "0", "n * " + plane + " + p",
                    "n * " + m * plane + " + p", plane));
            e.finish();
        });
        return true;
    }

    /** Weight rows laid out for lanes over channels: their array, and the bits it stores a word in. */
    private record Rows(String array, int bits) {}

    /** {@code t}'s rows ({@code channels} of {@code words} words) as {@link #lanesOfChannels}. */
    private Rows rows(Tensor t, int channels, int words) {
        Tensor laid = lanesOfChannels(t, channels, words);
        return new Rows(env.derivedConstant(laid), WeightStorage.elementBits(laid));
    }

    /**
     * Weight rows ({@code channels} of {@code words} words) laid out for lanes over channels: word
     * q of channels {@code 8b .. 8b + 7} at {@code (8b * words + 8q)}, so that channel c's word q
     * is at {@code c * words + 8q + c % 8}.
     */
    private static Tensor lanesOfChannels(Tensor t, int channels, int words) {
        long[] out = new long[channels * words];
        for (int c = 0; c < channels; c++) {
            for (int q = 0; q < words; q++) {
                out[(c / LANES * words + q) * LANES + c % LANES] = t.longAt(c * words + q);
            }
        }
        return Tensor.adoptBits(Shape.of(channels / LANES, words, LANES), out);
    }

    /** Depthwise over time, one word per channel, floats out: the lanes are 8 output positions of a channel. */
    @Override
    boolean depthwise(BinaryDepthwiseConv1d op) {
        Value x = node.input(0);
        int words = x.type().dim(2);
        int out = op.outputLength();
        if (op.output() != BinaryOutput.AFFINE || words != 1 || op.dilation() != 1 || out % LANES != 0 || !LaneTail.covers(tailNodes)) {
            return false;
        }
        int batch = x.type().dim(0);
        int channels = x.type().dim(1);
        if (avx512 && WindowTables.fitCopy(op, 32)) {
            depthwiseIn32BitLanes(op, batch, channels, out);
            return true;
        }
        long[][] tables = new long[4][out];
        for (int t = 0; t < out; t++) {
            Window win = Window.of(op, t);
            int start = win.start();
            // The window's first bit moves to bit 0 by one of the two shifts; the other, by 64, gives 0.
            tables[0][t] = start <= 0 ? -start : PackLayout.WORD;
            tables[1][t] = start >= 0 ? start : PackLayout.WORD;
            tables[2][t] = win.valid();
            tables[3][t] = Long.bitCount(win.valid());
        }
        String[] names = {"left", "right", "valid", "counts"};
        flagged(op, () -> {
            for (int i = 0; i < names.length; i++) {
                StringBuilder values = new StringBuilder();
                for (int t = 0; t < out; t++) {
                    values.append(t == 0 ? "" : ", ").append(i == 2 ? env.dialect().word(tables[i][t]) : tables[i][t]);
                }
                w.line("static const " + (i == 2 ? "uint64_t " : "int64_t ") + names[i] + "[" + out + "] = {" + values + "};");
            }
            if (!avx512) {
                popcountTables();
            }
            w.loop("n", 0, batch).loop("c", 0, channels);
            String vector = avx512 ? "__m512i" : "__m256i";
            String dup = avx512 ? "_mm512_set1_epi64" : "_mm256_set1_epi64x";
            w.line(vector + " xv = " + dup + "((long long) " + env.at(x, "n * " + channels + " + c") + ");");
            w.line(vector + " kv = " + dup + "((long long) " + env.word(node.input(op.weightInput()), "c") + ");");
            w.loop("t", 0, out / LANES);
            w.line("int t0 = t * " + LANES + ";");
            String dots;
            if (avx512) {
                w.line("__m512i shifted = _mm512_or_si512(_mm512_sllv_epi64(xv, " + load64("left + t0") + "), _mm512_srlv_epi64(xv, "
                        + load64("right + t0") + "));");
                w.line("__m512i pc = _mm512_popcnt_epi64(_mm512_and_si512(_mm512_xor_si512(shifted, kv), " + load64("valid + t0") + "));");
                w.line("__m512i dot = _mm512_sub_epi64(" + load64("counts + t0") + ", _mm512_slli_epi64(pc, 1));");
                dots = "_mm512_cvtepi64_ps(dot)";
            } else {
                for (int h = 0; h < 2; h++) {
                    String at = " + t0 + " + h * LANES / 2;
                    w.line("__m256i m" + h + " = _mm256_and_si256(_mm256_xor_si256(_mm256_or_si256(_mm256_sllv_epi64(xv, " + load256("left" + at)
                            + "), _mm256_srlv_epi64(xv, " + load256("right" + at) + ")), kv), " + load256("valid" + at) + ");");
                    w.line("__m256i dot" + h + " = _mm256_sub_epi64(" + load256("counts" + at) + ", _mm256_slli_epi64(" + popcount256("m" + h)
                            + ", 1));");
                }
                dots = floats256("dot0", "dot1");
            }
            tail.affine(w, "y", dots, op.parameterInput(),
                    new LaneTail.Lanes(false, "c", "(n * " + channels + " + c) * " + out + " + t0", 1));
            w.close().close().close();
        });
        return true;
    }

    /**
     * The depthwise layer's 8 windows of a channel cut from one 32-bit copy of its bits (bit 0 the
     * first window's first tap, before the padding) in the 32-bit lanes of a 256-bit vector, by one
     * shift each: fewer instructions than 64-bit lanes and two shifts, and 32-bit popcounts
     * convert to floats in one.
     */
    private void depthwiseIn32BitLanes(BinaryDepthwiseConv1d op, int batch, int channels, int out) {
        Value x = node.input(0);
        WindowTables tables = WindowTables.fromCopy(op, out, 1);
        flagged(op, () -> {
            w.line("static const int32_t shifts[" + LANES + "] = {" + tables.shifts() + "};");
            w.line("static const uint32_t valid[" + out + "] = {" + tables.valid() + "};");
            // The windows' lengths as floats: K - 2 * popcount in one negated multiply-add, exactly.
            w.line("static const float counts[" + out + "] = {" + tables.counts() + "};");
            w.loop("n", 0, batch).loop("c", 0, channels);
            w.line("uint64_t xs = " + env.at(x, "n * " + channels + " + c") + " << " + op.padBegin() + ";");
            w.line("__m256i kv = _mm256_set1_epi32((int) " + env.word(node.input(op.weightInput()), "c") + ");");
            w.loop("t", 0, out / LANES);
            w.line("int t0 = t * " + LANES + ";");
            w.line("__m256i xv = _mm256_set1_epi32((int) (uint32_t) (xs >> (t0 * " + op.stride() + ")));");
            w.line("__m256i pc = _mm256_popcnt_epi32(_mm256_and_si256(_mm256_xor_si256(_mm256_srlv_epi32(xv, " + load256("shifts")
                    + "), kv), " + load256("valid + t0") + "));");
            tail.affine(w, "y", "_mm256_fnmadd_ps(_mm256_cvtepi32_ps(pc), _mm256_set1_ps(2.0f), _mm256_loadu_ps(counts + t0))",
                    op.parameterInput(),
                    new LaneTail.Lanes(false, "c", "(n * " + channels + " + c) * " + out + " + t0", 1));
            w.close().close().close();
        });
    }

    // ---- shared pieces ----

    /**
     * Whether the lanes and the epilogue cover a layer of {@code channels}: channels in whole
     * batches of 8 (per pack group for signs out), and a tail with a vector form (floats out).
     */
    private boolean covers(BinaryLayerOp op, int channels) {
        boolean floats = op.output() == BinaryOutput.AFFINE;
        return channels % LANES == 0 && (floats ? LaneTail.covers(tailNodes) : channels / op.packGroups() % LANES == 0);
    }

    /**
     * The dot products' lengths K of channels {@code c ..}: one for all ({@code constant}), or a
     * table's entries at {@code pointer}, stored in {@code bits} bits.
     */
    private record Lengths(String constant, String pointer, int bits) {
        static Lengths of(int k) {
            return new Lengths(String.valueOf(k), null, 0);
        }

        /**
         * The 8 lanes' lengths as floats (exact: small integers), AVX-512; a table's integers are
         * stored in 16, 32 or 64 bits ({@link WeightStorage#elementBits}).
         */
        String floats() {
            if (constant != null) {
                return "_mm256_set1_ps((float) " + constant + ")";
            }
            return switch (bits) {
                case 64 -> "_mm512_cvtepi64_ps(" + load64(pointer) + ")";
                case 32 -> "_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *) (" + pointer + ")))";
                default -> "_mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *) (" + pointer + "))))";
            };
        }

        /** The 8 lanes' lengths, AVX-512. */
        String all() {
            return constant != null ? "_mm512_set1_epi64(" + constant + ")" : longs(pointer, bits);
        }

        /** Lanes {@code 4 * half ..} of them, AVX2. */
        String half(int half) {
            return constant != null ? "_mm256_set1_epi64x(" + constant + ")" : longs256(pointer + " + " + half * LANES / 2, bits);
        }
    }

    /**
     * AVX2 dot products over {@code words} words {@code q}: declares {@code __m256i dot0, dot1},
     * {@code K - 2 * popcount(a ^ b)} summed over q, {@code a} what {@code half} gives for halves 0
     * and 1 and {@code b} the variable {@code shared} that the statement {@code perWord} declares.
     */
    private void sums256(int words, String perWord, IntFunction<String> half, String shared, Lengths k) {
        // Up to MAX_BYTE_SUMS words' byte counts add up in bytes, then one psadbw sums them.
        boolean inBytes = words <= MAX_BYTE_SUMS;
        for (int h = 0; h < 2; h++) {
            w.line("__m256i acc" + h + " = _mm256_setzero_si256();");
        }
        w.loop("q", 0, words);
        w.line(perWord);
        for (int h = 0; h < 2; h++) {
            w.line("__m256i v" + h + " = _mm256_xor_si256(" + half.apply(h) + ", " + shared + ");");
            w.line("acc" + h + " = " + (inBytes ? "_mm256_add_epi8(acc" + h + ", " + byteCounts256("v" + h) + ")"
                    : "_mm256_add_epi64(acc" + h + ", " + popcount256("v" + h) + ")") + ";");
        }
        w.close();
        for (int h = 0; h < 2; h++) {
            String popcounts = inBytes ? sumBytes256("acc" + h) : "acc" + h;
            w.line("__m256i dot" + h + " = _mm256_sub_epi64(" + k.half(h) + ", _mm256_slli_epi64(" + popcounts + ", 1));");
        }
    }

    /** Declares the constants of {@link #popcount256}: the low nibble's mask and the counts of 16 nibbles. */
    private void popcountTables() {
        w.line("const __m256i nibble = _mm256_set1_epi8(0x0f);");
        w.line("const __m256i nibble_counts = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, "
                + "0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);");
    }

    /** The popcounts of the 4 words of the variable {@code v}, AVX2: {@link #byteCounts256} summed by {@code psadbw}. */
    private static String popcount256(String v) {
        return sumBytes256(byteCounts256(v));
    }

    /** The popcounts of each byte of the variable {@code v}, AVX2: by nibbles ({@code pshufb}). */
    private static String byteCounts256(String v) {
        return "_mm256_add_epi8(_mm256_shuffle_epi8(nibble_counts, _mm256_and_si256(" + v + ", nibble)), "
                + "_mm256_shuffle_epi8(nibble_counts, _mm256_and_si256(_mm256_srli_epi16(" + v + ", 4), nibble)))";
    }

    /** The sums of each 64-bit lane's 8 bytes of {@code bytes} ({@code psadbw}). */
    private static String sumBytes256(String bytes) {
        return "_mm256_sad_epu8(" + bytes + ", _mm256_setzero_si256())";
    }

    /** 8 dot products (4 in the 64-bit lanes of each of {@code lo} and {@code hi}, far inside 32 bits) as 8 floats in order. */
    private static String floats256(String lo, String hi) {
        return "_mm256_cvtepi32_ps(_mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(" + lo + "), "
                + "_mm256_castsi256_ps(" + hi + "), 0x88)), 0xd8))";
    }

    /** 4 consecutive 64-bit elements at {@code pointer}. */
    private static String load256(String pointer) {
        return "_mm256_loadu_si256((const __m256i *) (" + pointer + "))";
    }

    /** 8 consecutive 64-bit elements at {@code pointer}. */
    private static String load64(String pointer) {
        return "_mm512_loadu_si512((const void *) (" + pointer + "))";
    }

    /** 8 consecutive signed integers stored in {@code bits} bits at {@code pointer}, widened to 64 bits. */
    private static String longs(String pointer, int bits) {
        return widened(pointer, bits, true, LANES);
    }

    /** 4 consecutive signed integers stored in {@code bits} bits at {@code pointer}, widened to 64 bits. */
    private static String longs256(String pointer, int bits) {
        return widened(pointer, bits, true, LANES / 2);
    }

    /** 4 consecutive packed-sign words stored in {@code bits} bits at {@code pointer}, widened to 64 bits. */
    private static String words256(String pointer, int bits) {
        return widened(pointer, bits, false, LANES / 2);
    }

    /** 8 consecutive packed-sign words stored in {@code bits} bits at {@code pointer}, widened to 64 bits. */
    private static String words(String pointer, int bits) {
        return widened(pointer, bits, false, LANES);
    }

    /** {@code lanes} (8 or 4) consecutive integers of {@code bits} bits at {@code pointer}, sign- or zero-extended to 64 bits. */
    private static String widened(String pointer, int bits, boolean signed, int lanes) {
        if (bits == 64) {
            return lanes == LANES ? load64(pointer) : load256(pointer);
        }
        if (bits / 8 * lanes == 4) {
            // Four bytes: element by element (_mm_loadu_si32 is missing from gcc before 11).
            return "_mm256_setr_epi64x((long long) (" + pointer + ")[0], (long long) (" + pointer + ")[1], (long long) (" + pointer
                    + ")[2], (long long) (" + pointer + ")[3])";
        }
        String load = switch (bits / 8 * lanes) {
            case 8 -> "_mm_loadl_epi64((const __m128i *) (" + pointer + "))";
            case 16 -> "_mm_loadu_si128((const __m128i *) (" + pointer + "))";
            default -> "_mm256_loadu_si256((const __m256i *) (" + pointer + "))";
        };
        return (lanes == LANES ? "_mm512" : "_mm256") + "_cvtep" + (signed ? "i" : "u") + bits + "_epi64(" + load + ")";
    }

    /** The epilogue of a binary layer on vectors of 8 dot products over channels. */
    private final class Epilogue {
        private final BinaryLayerOp op;
        private final Value first;
        private final Value second;
        private final Value zeros;
        private final Lengths k;
        private final int channels;

        /**
         * @param k        the dot products' lengths for channels {@code c..}
         * @param channels output channels
         */
        Epilogue(BinaryLayerOp op, Lengths k, int channels) {
            this.op = op;
            this.first = node.input(op.parameterInput());
            this.second = node.input(op.parameterInput() + 1);
            this.zeros = zeroMask(op);
            this.k = k;
            this.channels = channels;
            zeroFlagStart(op);
        }

        /**
         * The dot products of one input row ({@code words} words at {@code pointer}, channel c's
         * from word {@code offset} on) against every channel's weight row ({@code weights}, laid out
         * by {@link #lanesOfChannels}), 8 channels at a time. Signs out: into the packed words of
         * output row {@code row}; floats out: at logical flat index {@code flat + c * stride}.
         */
        void rowDots(String pointer, int words, Rows weights, String offset, String row, String flat, int stride) {
            w.block();
            w.line("const uint64_t *xp = " + pointer + ";");
            if (op.output() == BinaryOutput.AFFINE) {
                w.loop("c0", 0, channels / LANES);
                w.line("int c = c0 * " + LANES + ";");
                String dots;
                if (avx512) {
                    counts(weights, words, offset);
                    dots = dotFloats512(k);
                } else {
                    dots256(weights, words, offset);
                    dots = floats256("dot0", "dot1");
                }
                tail.affine(w, "y", dots, op.parameterInput(), new LaneTail.Lanes(true, "c", flat + " + c * " + stride, stride));
                w.close();
            } else if (!avx512) {
                packedBatches(op, channels, row, () -> {
                    dots256(weights, words, offset);
                    w.line("int negative = " + belowMask(first) + ";");
                    w.line("bits |= (uint64_t) negative << (cw * " + LANES + ");");
                    if (zeros != null) {
                        w.line("zbits |= (uint64_t) (~negative & " + belowMask(second) + ") << (cw * " + LANES + ");");
                    }
                });
            } else {
                packedBatches(op, channels, row, () -> {
                    counts(weights, words, offset);
                    // Bit j of the mask is lane j's, channel c + j: the packed order.
                    w.line("__mmask8 negative = _mm512_cmpgt_epi64_mask(acc, " + countAbove(first) + ");");
                    w.line("bits |= (uint64_t) negative << (cw * " + LANES + ");");
                    if (zeros != null) {
                        w.line("__mmask8 zero = _mm512_mask_cmpgt_epi64_mask((__mmask8) ~negative, acc, " + countAbove(second) + ");");
                        w.line("zbits |= (uint64_t) zero << (cw * " + LANES + ");");
                    }
                });
            }
            w.close();
        }

        /**
         * Signs out of {@code count} rows at once (row {@code row(r)}: the input's {@code words}
         * words there and the packed output row of that index), each batch of 8 channels' weight words
         * and thresholds loaded once for all of them, each row's words broadcast once for all
         * batches. The thresholds on the dot product become ones on the popcount, once per batch:
         * {@code K - 2 * count < t} exactly where {@code count > floor((K - t) / 2)}, so that each row
         * takes its XORs, popcounts, their sum and one comparison (the BiFSMN expansions 25% faster
         * on Zen 4 than row by row, where each row converted the thresholds again).
         */
        void rowBlockSigns(int count, int words, Rows weights, IntFunction<String> row) {
            w.block();
            for (int r = 0; r < count; r++) {
                for (int q = 0; q < words; q++) {
                    w.line("const __m512i x" + r + "_" + q + " = _mm512_set1_epi64((long long) "
                            + env.at(node.input(0), "(" + row.apply(r) + ") * " + words + " + " + q) + ");");
                }
            }
            List<String> rows = IntStream.range(0, count).mapToObj(row).toList();
            packedBatches(op, channels, rows, LANES, () -> {
                for (int q = 0; q < words; q++) {
                    w.line("const __m512i w" + q + " = " + words(weights.array() + " + c * " + words + " + " + q * LANES, weights.bits())
                            + ";");
                }
                w.line("const __m512i above = " + countAbove(first) + ";");
                if (zeros != null) {
                    w.line("const __m512i zero_above = " + countAbove(second) + ";");
                }
                for (int r = 0; r < count; r++) {
                    String s = suffix(r);
                    List<String> counts = new ArrayList<>();
                    for (int q = 0; q < words; q++) {
                        counts.add("_mm512_popcnt_epi64(_mm512_xor_si512(x" + r + "_" + q + ", w" + q + "))");
                    }
                    w.line("__m512i count" + s + " = " + pairwise(counts, "_mm512_add_epi64") + ";");
                    w.line("__mmask8 negative" + s + " = _mm512_cmpgt_epi64_mask(count" + s + ", above);");
                    w.line("bits" + s + " |= (uint64_t) negative" + s + " << (cw * " + LANES + ");");
                    if (zeros != null) {
                        w.line("zbits" + s + " |= (uint64_t) _mm512_mask_cmpgt_epi64_mask((__mmask8) ~negative" + s + ", count" + s
                                + ", zero_above) << (cw * " + LANES + ");");
                    }
                }
            });
            w.close();
        }

        /** The popcounts above which channels {@code c .. c + 7}'s dot products are below {@code t}'s. */
        private String countAbove(Value t) {
            return "_mm512_srai_epi64(_mm512_sub_epi64(" + k.all() + ", " + threshold(t) + "), 1)";
        }

        /** Declares {@code __m512i acc}: the popcounts of row xp against channels {@code c .. c + 7}. */
        private void counts(Rows weights, int words, String offset) {
            w.line("const uint64_t *xr = xp" + (offset.equals("0") ? "" : " + " + offset) + ";");
            w.line("__m512i acc = _mm512_setzero_si512();");
            w.loop("q", 0, words);
            w.line("__m512i wq = " + words(weights.array() + " + c * " + words + " + q * " + LANES, weights.bits()) + ";");
            w.line("acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_set1_epi64((long long) xr[q]), wq)));");
            w.close();
        }

        /**
         * The dot products of {@link #counts} with AVX2 (no vector popcount): {@code __m256i dot0,
         * dot1} for channels {@code c .. c + 3} and {@code c + 4 .. c + 7}, each word's bits counted
         * by nibbles ({@code pshufb} on a table of 16 counts), its bytes summed by {@code psadbw}.
         */
        private void dots256(Rows weights, int words, String offset) {
            w.line("const uint64_t *xr = xp" + (offset.equals("0") ? "" : " + " + offset) + ";");
            popcountTables();
            sums256(words, "__m256i xq = _mm256_set1_epi64x((long long) xr[q]);",
                    h -> words256(weights.array() + " + c * " + words + " + q * " + LANES + " + " + h * LANES / 2, weights.bits()), "xq", k);
        }

        /** The 8-bit mask of the channels whose {@code dot0, dot1} (from {@link #dots256}) are below {@code t}'s. */
        private String belowMask(Value t) {
            int bits = WeightStorage.elementBits(env.constant(t).orElseThrow());
            StringBuilder mask = new StringBuilder();
            for (int h = 0; h < 2; h++) {
                String limit = longs256(env.pointer(t, "c + " + h * LANES / 2), bits);
                mask.append(h == 0 ? "" : " | ").append("_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(" + limit + ", dot" + h
                        + ")))" + (h == 0 ? "" : " << " + LANES / 2));
            }
            return "(" + mask + ")";
        }

        private String threshold(Value t) {
            return longs(env.pointer(t, "c"), WeightStorage.elementBits(env.constant(t).orElseThrow()));
        }

        /** After the loops: the zero mask's flag word. */
        void finish() {
            zeroFlagEnd(op);
        }
    }

    /**
     * AVX vectors of 8 floats, with AVX-512VL's scatter. maxps gives its second operand where
     * either is NaN, and +0 for -0 against +0: ReLU's rule; blendv selects by the sign bit.
     */
    private static final FloatVectors AVX512_FLOATS = avxFloats(
            (pointer, stride, v) -> List.of("_mm256_i32scatter_ps(" + pointer + ", " + indices(stride) + ", " + v + ", 4);"));
    /** The same with AVX2, which has no scatter: lane by lane. */
    private static final FloatVectors AVX2_FLOATS = avxFloats((pointer, stride, v) -> IntStream.range(0, LANES)
            .mapToObj(j -> "_mm_store_ss(" + pointer + " + " + j * stride + ", _mm256_castps256_ps128(_mm256_permutevar8x32_ps(" + v
                    + ", _mm256_set1_epi32(" + j + "))));")
            .toList());

    /**
     * AVX-512 vectors of 16 floats, for the float convolutions' tails ({@link #floatConv}), which
     * store whole vectors: maxps as in {@link #avxFloats}; the sign select by the sign bits' mask.
     */
    private static final FloatVectors ZMM_FLOATS = new FloatVectors("__m512", "_mm512_%s_ps", "_mm512_set1_ps", "_mm512_loadu_ps",
            "_mm512_storeu_ps", "_mm512_add_ps(_mm512_max_ps(_mm512_setzero_ps(), %1$s), _mm512_setzero_ps())",
            "_mm512_mask_blend_ps(_mm512_movepi32_mask(_mm512_castps_si512(%1$s)), %1$s, %2$s)",
            (pointer, stride) -> "_mm512_i32gather_ps(_mm512_setr_epi32(" + apart(stride, 2 * LANES) + "), " + pointer + ", 4)",
            (pointer, stride, v) -> List.of("_mm512_i32scatter_ps(" + pointer + ", _mm512_setr_epi32(" + apart(stride, 2 * LANES) + "), "
                    + v + ", 4);"));

    // ReLU: max_ps(0, x) returns x where x is NaN; adding +0 turns its -0 into +0.
    private static FloatVectors avxFloats(FloatVectors.Scatter scatter) {
        return new FloatVectors("__m256", "_mm256_%s_ps", "_mm256_set1_ps", "_mm256_loadu_ps", "_mm256_storeu_ps",
                "_mm256_add_ps(_mm256_max_ps(_mm256_setzero_ps(), %1$s), _mm256_setzero_ps())", "_mm256_blendv_ps(%1$s, %2$s, %1$s)",
                (pointer, stride) -> "_mm256_i32gather_ps(" + pointer + ", " + indices(stride) + ", 4)", scatter);
    }

    /** The lanes' offsets {@code stride} apart, as 32-bit indices. */
    private static String indices(int stride) {
        return "_mm256_setr_epi32(" + apart(stride) + ")";
    }

    /** The lanes' offsets {@code stride} apart: {@code 0, stride, ..., 7 * stride}. */
    private static String apart(int stride) {
        return apart(stride, LANES);
    }

    /** {@code lanes} offsets {@code stride} apart from 0. */
    private static String apart(int stride, int lanes) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < lanes; j++) {
            s.append(j == 0 ? "" : ", ").append(j * stride);
        }
        return s.toString();
    }
}
