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
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ARMv8 (A64) NEON versions of the binary kernels, for the C backend, in front of the portable
 * ones: XNOR is {@code veorq}, popcount {@code vcntq} on 128 bits at a time with the byte counts
 * added per dot product, eight dot products are reduced together by pairwise adds into one vector
 * of eight sums (sixteen byte sums for signs out of dot products of at most 128 bits), and their
 * epilogue runs on that vector: thresholds compared lane by lane into 8 (16) bits of the packed
 * output, or the affine map and the step's element-wise tail into 8 floats.
 * Packing signs inserts each element's sign bit straight into its word ({@code vsriq}), four words
 * at a time. They cover inputs without zeros (the zero mask's flag word is 0) and the common
 * shapes; otherwise the portable kernel runs. Everything is exact, as the portable kernels are.
 */
final class NeonBitKernels extends SimdBitKernels {
    /** Most chunks per dot product for two positions' rows in registers with 8 accumulators (of 32). */
    private static final int MAX_PAIRED_CHUNKS = 8;
    /** Largest sum the 16-bit lanes hold as a signed dot product {@code K - 2 * popcount}. */
    private static final int MAX_DOT = Short.MAX_VALUE;

    NeonBitKernels(Node node, List<Node> tail, StepEnv env) {
        super(node, tail, env, NEON);
    }

    // ---- packing signs ----

    /**
     * Packed axis with at least 4 positions inside it (a multiple of 4): each word of 4 neighbouring
     * positions builds in one lane of a vector, its elements' sign bits shifted in from the highest
     * channel down; the smallest magnitude seen ({@link #noteLeast}) tells whether any element was ±0 or NaN.
     */
    @Override
    boolean pack(PackSigns op, PackKernel.Words s) {
        Value x = node.input(0);
        Value bits = node.outputs().get(0);
        int words = bits.type().size();
        if (s.inner == 1 && s.cg == LANES && s.wpg == 1 && words % 2 == 0) {
            rowsOfEight(x, bits, words);
            endPacking(op);
            return true;
        }
        if (s.inner % 4 != 0) {
            return false;
        }
        w.block();
        w.line("float32x4_t least = vdupq_n_f32(INFINITY);");
        w.loop("o", 0, s.outer).loop("i", 0, s.inner / 4).loop("g", 0, s.groups);
        for (int k = 0; k < s.wpg; k++) {
            int count = Math.min(PackLayout.WORD, s.cg - k * PackLayout.WORD);
            w.block();
            w.line("const float *xp = " + env.pointer(x, "(o * " + s.channels + " + g * " + s.cg + " + " + k * PackLayout.WORD + ") * "
                    + s.inner + " + i * 4") + ";");
            int low = Math.min(32, count);
            insertSigns("lo", 0, low, s.inner);
            if (count > 32) {
                insertSigns("hi", 32, count - 32, s.inner);
                w.line("uint64x2_t w01 = vreinterpretq_u64_u32(vzip1q_u32(lo, hi));");
                w.line("uint64x2_t w23 = vreinterpretq_u64_u32(vzip2q_u32(lo, hi));");
            } else {
                w.line("uint64x2_t w01 = vmovl_u32(vget_low_u32(lo));");
                w.line("uint64x2_t w23 = vmovl_high_u32(lo);");
            }
            int stride = s.groups * s.wpg;
            String word = s.word("i * 4", k);
            if (stride == 1) {
                w.line("vst1q_u64(" + env.pointer(bits, word) + ", w01);");
                w.line("vst1q_u64(" + env.pointer(bits, word + " + 2") + ", w23);");
            } else {
                for (int lane = 0; lane < 4; lane++) {
                    w.line("vst1q_lane_u64(" + env.pointer(bits, word + " + " + lane * stride) + ", " + (lane < 2 ? "w01" : "w23")
                            + ", " + lane % 2 + ");");
                }
            }
            w.close();
        }
        w.close().close().close();
        endPacking(op);
        return true;
    }

    /** Ends a packing block: without ±0 or NaN among the elements the words are right. */
    private void endPacking(PackSigns op) {
        packed(op, "vminvq_f32(least) > 0.0f");
        w.close();
    }

    /**
     * Words of 8 consecutive elements (a D-FSMN channel's frames), two at a time: a de-interleaving
     * load puts elements b, b+4 of both words in the lanes of vector b, so that inserting sign bits
     * from vector 3 down to 0 gives each lane 4 of a word's bits; two lanes make a word.
     */
    private void rowsOfEight(Value x, Value bits, int words) {
        w.block();
        w.line("float32x4_t least = vdupq_n_f32(INFINITY);");
        w.loop("i", 0, words / 2);
        w.line("float32x4x4_t v = vld4q_f32(" + env.pointer(x, "i * 16") + ");");
        noteLeast(List.of("v.val[3]", "v.val[2]", "v.val[1]", "v.val[0]"));
        for (int b = 3; b >= 0; b--) {
            String bitsOf = "vreinterpretq_u32_f32(v.val[" + b + "])";
            w.line(b == 3 ? "uint32x4_t nibbles = vshrq_n_u32(" + bitsOf + ", 28);"
                    : "nibbles = vsriq_n_u32(nibbles, " + bitsOf + ", " + (31 - b) + ");");
        }
        w.line("uint64x2_t halves = vreinterpretq_u64_u32(nibbles);");
        w.line("vst1q_u64(" + env.pointer(bits, "i * 2") + ", vandq_u64(vorrq_u64(halves, vshrq_n_u64(halves, 28)), vdupq_n_u64(0xff)));");
        w.close();
    }

    /**
     * Declares {@code uint32x4_t acc}: bit b of each lane the sign of channel {@code first + b} of
     * that lane's position, for b in [0, count), higher bits 0.
     */
    private void insertSigns(String acc, int first, int count, int inner) {
        List<String> unnoted = new ArrayList<>();
        for (int b = count - 1; b >= 0; b--) {
            String v = "v" + acc + b;
            w.line("float32x4_t " + v + " = vld1q_f32(xp + " + (first + b) * inner + ");");
            unnoted.add(v);
            if (unnoted.size() == 4 || b == 0) {
                noteLeast(unnoted);
                unnoted.clear();
            }
            String bitsOf = "vreinterpretq_u32_f32(" + v + ")";
            if (b == count - 1) {
                w.line("uint32x4_t " + acc + " = " + (b == 31 ? bitsOf : "vshrq_n_u32(" + bitsOf + ", " + (31 - b) + ")") + ";");
            } else {
                w.line(acc + " = vsriq_n_u32(" + acc + ", " + bitsOf + ", " + (31 - b) + ");");
            }
        }
    }

    /**
     * Notes vectors {@code vs} (at most 4) in {@code least}, the smallest magnitude seen, through
     * their product: a product is ±0 or NaN wherever a factor is, so that {@code least > 0} still
     * proves no element ±0 or NaN, at three multiplies, an abs and a min for four vectors instead of
     * four of each. (Tiny factors may underflow to a 0 product: that only sends the step to the
     * exact portable kernel.)
     */
    private void noteLeast(List<String> vs) {
        w.line("least = vminq_f32(least, vabsq_f32(" + pairwise(vs, "vmulq_f32") + "));");
    }

    // ---- dot products ----

    @Override
    boolean dense(BinaryDense op) {
        Value x = node.input(0);
        int words = x.type().shape().dim(x.type().rank() - 1);
        int rows = x.type().size() / words;
        Optional<String> weights = weightRows(node.input(op.weightInput()));
        if (weights.isEmpty() || !coversDots(op, words, op.inFeatures())) {
            return false;
        }
        int n = node.input(op.weightInput()).type().dim(0);
        flagged(op, () -> {
            Epilogue e = new Epilogue(op, op.inFeatures(), null, n);
            w.loop("r", 0, rows);
            e.rowDots(env.pointer(x, "r * " + words), words, weights.get(), "r", "r * " + n, 1);
            w.close();
            e.finish();
        });
        return true;
    }

    /** 1x1 layers: as dense over the positions for signs out; floats out with the lanes over 8 positions. */
    @Override
    boolean pointwise(BinaryConv op) {
        Pointwise g = Pointwise.of(op, node);
        Value x = g.x();
        Value wv = g.weight();
        int cg = op.channels() / g.group();
        Optional<String> weights = weightRows(wv);
        if (weights.isEmpty() || !coversDots(op, g.wordsPerGroup(), cg)) {
            return false;
        }
        if (op.output() != BinaryOutput.AFFINE) {
            if (g.group() != 1) {
                return false;
            }
            int rows = g.batch() * g.plane();
            flagged(op, () -> {
                Epilogue e = new Epilogue(op, cg, null, g.m());
                String row = env.pointer(x, "r * " + g.wordsPerGroup());
                if (!e.pairSigns(rows, row, g.wordsPerGroup(), weights.get())) {
                    w.loop("r", 0, rows);
                    e.rowDots(row, g.wordsPerGroup(), weights.get(), "r", null, 0);
                    w.close();
                }
                e.finish();
            });
            return true;
        }
        if (g.plane() % LANES != 0) {
            return false;
        }
        int chunks = (g.wordsPerGroup() + 1) / 2;
        int mg = g.m() / g.group();
        // One batch of 8 positions with few words: their input words stay in registers over the channels.
        boolean kept = g.group() == 1 && g.plane() == LANES && chunks <= 2;
        flagged(op, () -> {
            Epilogue e = new Epilogue(op, cg, null, g.m());
            w.loop("n", 0, g.batch());
            if (kept) {
                for (int j = 0; j < LANES; j++) {
                    loadRow("X" + j + "_", env.pointer(x, "(n * " + g.plane() + " + " + j + ") * " + g.wordsPerGroup()),
                            g.wordsPerGroup());
                }
            }
            w.loop("c", 0, g.m());
            w.line("const uint8_t *wp = (const uint8_t *) (" + weights.get() + " + c * " + g.wordsPerGroup() + ");");
            for (int q = 0; q < chunks; q++) {
                w.line("uint8x16_t W" + q + " = " + chunk("wp", q, g.wordsPerGroup()) + ";");
            }
            w.loop("p0", 0, g.plane() / LANES);
            if (!kept) {
                for (int j = 0; j < LANES; j++) {
                    loadRow("X" + j + "_", env.pointer(x, "((n * " + g.plane() + " + p0 * " + LANES + " + " + j + ") * " + g.group()
                            + " + c / " + mg + ") * " + g.wordsPerGroup()), g.wordsPerGroup());
                }
            }
            List<List<String[]>> terms = new ArrayList<>();
            for (int j = 0; j < LANES; j++) {
                List<String[]> t = new ArrayList<>();
                for (int q = 0; q < chunks; q++) {
                    t.add(new String[] {"X" + j + "_" + q, "W" + q});
                }
                terms.add(t);
            }
            dots("pc", terms);
            e.affine("pc", new LaneTail.Lanes(false, "c", "(n * " + g.m() + " + c) * " + g.plane() + " + p0 * " + LANES, 1));
            w.close().close().close();
        });
        return true;
    }

    /** Convolutions with taps: the portable gathering of patches, then dense dot products over them. */
    @Override
    boolean patches(BinaryConv op) {
        PatchConv pc = new PatchConv(op, node, env, new ElementTail(node, tailNodes, env));
        int m = pc.channels();
        int words = pc.patchWords();
        if (pc.group() != 1) {
            return false;
        }
        Optional<String> weights = weightRows(pc.patchWeights());
        PatchConv.Classes classes = pc.classes();
        // Border taps count in the popcount: a dot product lies in [table - 2K, table].
        int maxDot = classes.table == null ? pc.dotLength() : Math.max(maxOf(classes.table), 2 * pc.dotLength());
        if (weights.isEmpty() || !coversDots(op, words, maxDot)) {
            return false;
        }
        int plane = pc.plane();
        // Floats out: two neighbouring positions at a time, each weight chunk loaded once for both.
        boolean pairs = op.output() == BinaryOutput.AFFINE && pc.pairable() && (words + 1) / 2 <= MAX_PAIRED_CHUNKS;
        flagged(op, () -> {
            String[] patches = pc.gatherPatches(w, false);
            Epilogue e = new Epilogue(op, pc.dotLength(), classes.table, m);
            pc.positions(w, classes, pairs, () -> {
                String row = patches[0] + " + row";
                String flat = "n * " + m * plane + " + p";
                if (pairs) {
                    e.pairDots(row, words, weights.get(), flat, plane);
                } else {
                    e.rowDots(row, words, weights.get(), "n * " + plane + " + p", flat, plane);
                }
            });
            e.finish();
        });
        return true;
    }

    /**
     * Depthwise over time, one word per channel, floats out: the lanes are eight output positions of
     * a channel. When eight neighbouring windows fit 16 bits, each in a byte (kernels up to 8 at
     * stride 1, the FSMN memory), they are cut from one 16-bit copy of the channel's bits in 16-bit
     * lanes and counted by one {@code cnt}; otherwise each window has a 64-bit lane.
     */
    @Override
    boolean depthwise(BinaryDepthwiseConv1d op) {
        Value x = node.input(0);
        int words = x.type().dim(2);
        int out = op.outputLength();
        if (op.output() != BinaryOutput.AFFINE || words != 1 || op.dilation() != 1 || out % LANES != 0 || !LaneTail.covers(tailNodes)) {
            return false;
        }
        boolean halfWords = WindowTables.fitCopy(op, 16) && op.kernel() <= 8;
        int batch = x.type().dim(0);
        int channels = x.type().dim(1);
        // A negative count shifts right: in 16-bit lanes within the copy, in 64-bit lanes from the window's start.
        WindowTables tables = halfWords ? WindowTables.fromCopy(op, out, -1) : WindowTables.perLane(op, out, env.dialect()::word);
        boolean hoisted = out == LANES;
        String channel = env.word(node.input(op.weightInput()), "c");
        flagged(op, () -> {
            if (halfWords) {
                w.line("static const int16_t shifts[" + LANES + "] = {" + tables.shifts() + "};");
                w.line("static const uint16_t valid[" + out + "] = {" + tables.valid() + "};");
                w.line("int16x8_t s = vld1q_s16(shifts);");
            } else {
                w.line("static const int64_t shifts[" + out + "] = {" + tables.shifts() + "};");
                w.line("static const uint64_t valid[" + out + "] = {" + tables.valid() + "};");
                // Byte 0 of each 64-bit lane holds its window's count (below 64): output positions in lane order.
                w.line("static const uint8_t first_bytes[8] = {0, 8, 16, 24, 32, 40, 48, 56};");
                w.line("uint8x8_t gather = vld1_u8(first_bytes);");
            }
            w.line("static const int16_t counts[" + out + "] = {" + tables.counts() + "};");
            if (hoisted) {
                windowConstants(halfWords, "0");
            }
            w.loop("n", 0, batch).loop("c", 0, channels);
            if (halfWords) {
                // Bit 0 of the copy: the first window's first tap (negative before the padding).
                w.line("uint64_t xs = " + env.at(x, "n * " + channels + " + c") + " << " + op.padBegin() + ";");
                w.line("uint16x8_t kv = vdupq_n_u16((uint16_t) " + channel + ");");
            } else {
                w.line("uint64x2_t xv = vdupq_n_u64(" + env.at(x, "n * " + channels + " + c") + ");");
                w.line("uint64x2_t kv = vdupq_n_u64(" + channel + ");");
            }
            w.loop("t0", 0, out / LANES);
            if (!hoisted) {
                windowConstants(halfWords, "t0 * " + LANES);
            }
            if (halfWords) {
                // Each masked window is below 256: the high byte counts 0, the lane is the count.
                w.line("uint16x8_t xv = vdupq_n_u16((uint16_t) (xs >> (t0 * " + LANES * op.stride() + ")));");
                w.line("uint8x16_t e = vcntq_u8(vreinterpretq_u8_u16(vandq_u16(veorq_u16(vshlq_u16(xv, s), kv), m)));");
                w.line("int16x8_t dot = vmlsq_n_s16(k, vreinterpretq_s16_u8(e), 2);");
            } else {
                for (int k = 0; k < LANES / 2; k++) {
                    String count = "vcntq_u8(vreinterpretq_u8_u64(vandq_u64(veorq_u64(vshlq_u64(xv, s" + k + "), kv), m" + k + ")))";
                    // A window wider than a byte: its lane's byte counts summed into byte 0.
                    w.line("uint8x16_t e" + k + " = " + (op.kernel() > 8
                            ? "vreinterpretq_u8_u64(vpaddlq_u32(vpaddlq_u16(vpaddlq_u8(" + count + "))))" : count) + ";");
                }
                w.line("uint8x16x4_t table = {{e0, e1, e2, e3}};");
                w.line("uint8x8_t bytes = vqtbl4_u8(table, gather);");
                w.line("int16x8_t dot = vsubq_s16(k, vreinterpretq_s16_u16(vshll_n_u8(bytes, 1)));");
            }
            new Epilogue(op, 0, null, channels).affineFromDot(new LaneTail.Lanes(false, "c", "(n * " + channels + " + c) * " + out
                    + " + t0 * " + LANES, 1));
            w.close().close().close();
        });
        return true;
    }

    /**
     * Declares the masks and counts of 8 output positions from {@code t}: {@code m} and {@code k}
     * in 16-bit lanes, or {@code k} and, in 64-bit lanes, shifts {@code s0..s3} and masks {@code m0..m3}.
     */
    private void windowConstants(boolean halfWords, String t) {
        w.line("int16x8_t k = vld1q_s16(counts + " + t + ");");
        if (halfWords) {
            w.line("uint16x8_t m = vld1q_u16(valid + " + t + ");");
            return;
        }
        for (int k = 0; k < LANES / 2; k++) {
            w.line("int64x2_t s" + k + " = vld1q_s64(shifts + " + t + " + " + 2 * k + ");");
            w.line("uint64x2_t m" + k + " = vld1q_u64(valid + " + t + " + " + 2 * k + ");");
        }
    }

    // ---- shared pieces ----

    /**
     * Whether 16-bit lanes, the chunk limit and the epilogue cover a layer: its channels in whole
     * batches of 8 (per pack group), dot products within 16 bits, and a tail with a vector form
     * (floats out) or thresholds stored in 16 bits (signs out).
     */
    private boolean coversDots(BinaryLayerOp op, int words, int maxDot) {
        Value first = node.input(op.parameterInput());
        Value second = node.input(op.parameterInput() + 1);
        int channels = first.type().dim(0);
        boolean floats = op.output() == BinaryOutput.AFFINE;
        boolean lanesFit = channels % LANES == 0 && (floats || channels / op.packGroups() % LANES == 0);
        boolean epilogue = floats ? LaneTail.covers(tailNodes) : WeightStorage.elementBits(env.constant(first).orElseThrow()) == 16
                && WeightStorage.elementBits(env.constant(second).orElseThrow()) == 16;
        return lanesFit && epilogue && (words + 1) / 2 <= MAX_BYTE_SUMS && maxDot <= MAX_DOT;
    }

    /**
     * The array of weight rows, read 128 bits at a time (an odd last word as 64 bits): the weight's
     * own array, shared with the portable kernel. Empty if it does not hold full 64-bit words
     * (rows of few signs are stored narrower, see {@link WeightStorage}).
     */
    private Optional<String> weightRows(Value weight) {
        Tensor t = env.constant(weight).orElseThrow();
        return WeightStorage.elementBits(t) == 64 ? Optional.of(env.pointer(weight, "0")) : Optional.empty();
    }

    /** As {@link #weightRows(Value)} for weights a kernel derives (the tensor the portable kernel asks for too). */
    private Optional<String> weightRows(Tensor derived) {
        return WeightStorage.elementBits(derived) == 64 ? Optional.of(env.derivedConstant(derived)) : Optional.empty();
    }

    /** The 128-bit chunk {@code q} of a row of {@code words} words at byte pointer {@code row}: an odd last one zero-extended. */
    private static String chunk(String row, int q, int words) {
        String at = row + " + " + 16 * q;
        return 2 * q + 1 < words ? "vld1q_u8(" + at + ")" : "vcombine_u8(vld1_u8(" + at + "), vdup_n_u8(0))";
    }

    /** Declares {@code uint8x16_t prefix0, prefix1, ...}: {@code words} words at {@code pointer}, an odd last one zero-extended. */
    private void loadRow(String prefix, String pointer, int words) {
        for (int q = 0; q < words / 2; q++) {
            w.line("uint8x16_t " + prefix + q + " = vld1q_u8((const uint8_t *) (" + pointer + " + " + 2 * q + "));");
        }
        if (words % 2 != 0) {
            w.line("uint8x16_t " + prefix + words / 2 + " = vcombine_u8(vld1_u8((const uint8_t *) (" + pointer + " + "
                    + (words - 1) + ")), vdup_n_u8(0));");
        }
    }

    /** Rows {@code X} and {@code Y}: {@code words} words at {@code pointer}, and the next as many. */
    private void loadNeighbourRows(String pointer, int words) {
        loadRow("X", pointer, words);
        loadRow("Y", pointer + " + " + words, words);
    }

    /**
     * Declares {@code uint16x8_t name}: the popcounts of 8 dot products, {@code terms.get(j)} the
     * pairs of 128-bit chunks whose XOR dot product j counts. Byte counts add up per dot product
     * (at most 8 per chunk), then pairwise adds reduce the 8 vectors to one: in bytes while they
     * cannot overflow, then in 16-bit lanes.
     */
    private void dots(String name, List<List<String[]>> terms) {
        int chunks = terms.get(0).size();
        for (int j = 0; j < LANES; j++) {
            for (int q = 0; q < chunks; q++) {
                String cnt = "vcntq_u8(veorq_u8(" + terms.get(j).get(q)[0] + ", " + terms.get(j).get(q)[1] + "))";
                w.line(q == 0 ? "uint8x16_t a" + j + " = " + cnt + ";" : "a" + j + " = vaddq_u8(a" + j + ", " + cnt + ");");
            }
        }
        // Byte sums after the first, second, third pairwise level: 16, 32, 64 times chunks at most.
        int byteLevels = chunks <= 3 ? 3 : chunks <= 7 ? 2 : 0;
        String in = "a";
        if (byteLevels == 0) {
            for (int j = 0; j < LANES; j++) {
                w.line("uint16x8_t b" + j + " = vpaddlq_u8(a" + j + ");");
            }
            in = "b";
        }
        String type = byteLevels > 0 ? "uint8x16_t" : "uint16x8_t";
        String add = byteLevels > 0 ? "vpaddq_u8" : "vpaddq_u16";
        for (int j = 0; j < LANES / 2; j++) {
            w.line(type + " t" + j + " = " + add + "(" + in + 2 * j + ", " + in + (2 * j + 1) + ");");
        }
        w.line(type + " u0 = " + add + "(t0, t1);");
        w.line(type + " u1 = " + add + "(t2, t3);");
        String last = switch (byteLevels) {
            case 3 -> "vpaddlq_u8(vpaddq_u8(u0, u1))";
            case 2 -> "vpaddq_u16(vpaddlq_u8(u0), vpaddlq_u8(u1))"; // widened before the third level
            default -> "vpaddq_u16(u0, u1)";
        };
        w.line("uint16x8_t " + name + " = " + last + ";");
    }

    private static int maxOf(Tensor t) {
        long max = 0;
        for (int i = 0; i < t.size(); i++) {
            max = Math.max(max, t.longAt(i));
        }
        return (int) Math.min(Integer.MAX_VALUE, max);
    }

    /** An integer table known to fit 16 bits, as stored (int16). */
    private static Tensor narrow(Tensor t) {
        if (WeightStorage.elementBits(t) != 16) {
            throw new IllegalStateException("table does not fit 16 bits");
        }
        return t;
    }

    // ---- epilogues ----

    /** The epilogue of a binary layer on vectors of 8 dot products. */
    private final class Epilogue {
        private final BinaryLayerOp op;
        private final BinaryOutput output;
        private final Value first;
        private final Value second;
        private final Value zeros;
        private final int channels;
        private final int k;
        private final Tensor kTable;
        private final String kArray;

        /**
         * @param k      the dot products' length, if every position has it
         * @param kTable else (not null) the dot product's {@code K} per position class and channel
         *               ({@code [cls * channels + c]}: {@code dot = K - 2 * popcount})
         */
        Epilogue(BinaryLayerOp op, int k, Tensor kTable, int channels) {
            this.op = op;
            this.output = op.output();
            this.first = node.input(op.parameterInput());
            this.second = node.input(op.parameterInput() + 1);
            this.zeros = zeroMask(op);
            this.channels = channels;
            this.k = k;
            this.kTable = kTable;
            this.kArray = kTable == null ? null : env.derivedConstant(narrow(kTable));
            if (output != BinaryOutput.AFFINE) {
                zeroFlagStart(op);
            }
        }

        /** {@code cls * channels + } where K has a table, else nothing. */
        private String classOffset() {
            return kTable == null ? "" : "cls * " + channels + " + ";
        }

        /**
         * The dot products of one input row ({@code words} words at {@code pointer}) against every
         * channel's weight row ({@code words} words each in {@code weights}), 8 channels at a time.
         * Signs out: into the packed words of output row {@code row}; floats out: at logical flat
         * index {@code flat + c * stride}.
         */
        void rowDots(String pointer, int words, String weights, String row, String flat, int stride) {
            w.block();
            loadRow("X", pointer, words);
            if (output == BinaryOutput.AFFINE) {
                w.loop("c0", 0, channels / LANES);
                w.line("int c = c0 * " + LANES + ";");
                channelDots(weights, words);
                affine("pc", new LaneTail.Lanes(true, "c", flat + " + c * " + stride, stride));
                w.close();
            } else {
                Optional<String> thresholds = byteThresholds(words);
                if (thresholds.isPresent()) {
                    bytePopcountSigns(thresholds.get(), weights, words, List.of(row));
                } else {
                    w.line("static const uint16_t bit_of_lane[8] = {1, 2, 4, 8, 16, 32, 64, 128};");
                    w.line("uint16x8_t lane_bits = vld1q_u16(bit_of_lane);");
                    packedBatches(op, channels, row, () -> {
                        channelDots(weights, words);
                        signs("pc", "cw * " + LANES);
                    });
                }
            }
            w.close();
        }

        /**
         * Floats out of the dot products of two neighbouring input rows ({@code words} words at
         * {@code pointer}, the next row right after) against every channel's weight row, 4 channels
         * at a time: lanes 0-3 the first row's, 4-7 the second's (logical flat index {@code flat +
         * c * stride}, and one more), of position classes {@code cls} and {@code cls1}.
         */
        void pairDots(String pointer, int words, String weights, String flat, int stride) {
            int half = LANES / 2;
            w.block();
            loadNeighbourRows(pointer, words);
            w.loop("c0", 0, channels / half);
            w.line("int c = c0 * " + half + ";");
            channelDots(weights, words, List.of("X", "Y"));
            String kv = kArray == null ? "vdupq_n_s16(" + k + ")"
                    : "vcombine_s16(vld1_s16(" + kArray + " + cls * " + channels + " + c), vld1_s16(" + kArray + " + cls1 * "
                    + channels + " + c))";
            w.line("int16x8_t dot = vmlsq_n_s16(" + kv + ", vreinterpretq_s16_u16(pc), 2);");
            LaneTail.Lanes first = new LaneTail.Lanes(true, "c", flat + " + c * " + stride, stride);
            affineFromDot(first, new LaneTail.Lanes(true, "c", flat + " + 1 + c * " + stride, stride));
            w.close();
            w.close();
        }

        /**
         * Signs out in batches of 16 channels, their popcounts compared with {@code thresholds} (see
         * {@link #byteThresholds}), for output rows {@code rows} (one or two; input rows in {@code
         * X0}, {@code Y0}), each weight chunk loaded once for all.
         */
        private void bytePopcountSigns(String thresholds, String weights, int words, List<String> rows) {
            w.line("static const uint8_t bit_of_byte[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};");
            w.line("uint8x16_t byte_bits = vld1q_u8(bit_of_byte);");
            List<String> inputs = List.of("X0", "Y0").subList(0, rows.size());
            packedBatches(op, channels, rows, 2 * LANES, () -> {
                sixteenDots(weights, words, inputs);
                w.line("uint8x16_t at_least = vld1q_u8(" + thresholds + " + c);");
                for (int r = 0; r < rows.size(); r++) {
                    // 16 mask bytes to 16 bits: each byte's bit value, then three pairwise adds.
                    String set = "set" + suffix(r);
                    w.line("uint8x16_t " + set + " = vandq_u8(vcgeq_u8(pc" + suffix(r) + ", at_least), byte_bits);");
                    for (int i = 0; i < 3; i++) {
                        w.line(set + " = vpaddq_u8(" + set + ", " + set + ");");
                    }
                    w.line("bits" + suffix(r) + " |= (uint64_t) vgetq_lane_u16(vreinterpretq_u16_u8(" + set + "), 0) << (cw * "
                            + 2 * LANES + ");");
                }
            });
        }

        /**
         * Signs out of the {@code rows} input rows ({@code words} words at {@code pointer}, an
         * expression in {@code r}) two at a time, into output rows r and r + 1, where their count is
         * even and {@link #byteThresholds} apply: each weight chunk loaded once for both. Returns
         * whether it wrote them.
         */
        boolean pairSigns(int rows, String pointer, int words, String weights) {
            Optional<String> thresholds = rows % 2 == 0 ? byteThresholds(words) : Optional.empty();
            if (thresholds.isEmpty()) {
                return false;
            }
            w.open("for (int r = 0; r < " + rows + "; r += 2)");
            loadNeighbourRows(pointer, words);
            bytePopcountSigns(thresholds.get(), weights, words, List.of("r", "r + 1"));
            w.close();
            return true;
        }

        /**
         * For signs out of dot products of at most 128 bits (one chunk: popcounts fit a byte) with one
         * K, no zeros out and channels in batches of 16: the thresholds on the popcount, one byte per
         * channel, {@code dot < threshold} being {@code popcount >= floor((K - threshold) / 2) + 1}
         * (0: always; 255: never). Then 16 dot products reduce in bytes into one vector and compare
         * at once: a sixth fewer instructions than two batches of 8 (the BiFSMN expansions).
         */
        private Optional<String> byteThresholds(int words) {
            int cg = channels / op.packGroups();
            Optional<Tensor> t = env.constant(first);
            if (words > 2 || kTable != null || output != BinaryOutput.SIGNS || cg % (2 * LANES) != 0 || t.isEmpty()) {
                return Optional.empty();
            }
            long[] bytes = new long[channels];
            for (int c = 0; c < channels; c++) {
                long atLeast = Math.floorDiv(k - t.get().longAt(c), 2) + 1;
                bytes[c] = Math.max(0, Math.min(255, atLeast));
            }
            // Unsigned bytes: a tensor of packed-sign type is stored in the narrowest unsigned width.
            return Optional.of(env.derivedConstant(Tensor.adoptBits(Shape.of(channels), bytes)));
        }

        /**
         * Declares {@code uint8x16_t pc} (and {@code pc1}, ...): input row {@code inputs.get(r)} (one
         * chunk) against channels {@code c .. c + 15}, one popcount per byte.
         */
        private void sixteenDots(String weights, int words, List<String> inputs) {
            w.line("const uint8_t *wp = (const uint8_t *) (" + weights + " + c * " + words + ");");
            for (int j = 0; j < 2 * LANES; j++) {
                w.line("uint8x16_t w" + j + " = " + chunk("wp + " + 8 * j * words, 0, words) + ";");
            }
            for (int r = 0; r < inputs.size(); r++) {
                String id = suffix(r);
                for (int j = 0; j < 2 * LANES; j++) {
                    w.line("uint8x16_t a" + id + "_" + j + " = vcntq_u8(veorq_u8(" + inputs.get(r) + ", w" + j + "));");
                }
                for (int level = 2 * LANES, in = 0; level > 1; level /= 2, in++) {
                    for (int j = 0; j < level / 2; j++) {
                        String name = level == 2 ? "pc" + id : "s" + id + "_" + (in + 1) + "_" + j;
                        String x = in == 0 ? "a" + id + "_" + 2 * j : "s" + id + "_" + in + "_" + 2 * j;
                        String y = in == 0 ? "a" + id + "_" + (2 * j + 1) : "s" + id + "_" + in + "_" + (2 * j + 1);
                        w.line("uint8x16_t " + name + " = vpaddq_u8(" + x + ", " + y + ");");
                    }
                }
            }
        }

        /** Declares {@code pc}: row X against channels {@code c .. c + 7}, rows of {@code words} words in {@code weights}. */
        private void channelDots(String weights, int words) {
            channelDots(weights, words, List.of("X"));
        }

        /**
         * Declares {@code pc}: each of the input rows named {@code rows} (their chunks {@code X0},
         * {@code X1}, ...) against channels {@code c ..}, 8 / {@code rows.size()} of them, the lanes row
         * by row.
         */
        private void channelDots(String weights, int words, List<String> rows) {
            int chunks = (words + 1) / 2;
            w.line("const uint8_t *wp = (const uint8_t *) (" + weights + " + c * " + words + ");");
            List<List<String[]>> terms = new ArrayList<>();
            for (String row : rows) {
                for (int j = 0; j < LANES / rows.size(); j++) {
                    List<String[]> t = new ArrayList<>();
                    for (int q = 0; q < chunks; q++) {
                        t.add(new String[] {row + q, chunk("wp + " + 8 * j * words, q, words)});
                    }
                    terms.add(t);
                }
            }
            dots("pc", terms);
        }

        /**
         * ORs the 8 signs of channels {@code c...} into {@code bits} (and zeros into {@code zbits}) at
         * bit {@code bit}: -1 where {@code dot < lo}, 0 where {@code lo <= dot < hi} (for signs
         * without zeros lo = hi), the thresholds being the layer's own 16-bit tables.
         */
        private void signs(String pc, String bit) {
            w.line("int16x8_t dot = vmlsq_n_s16(" + kVector("c") + ", vreinterpretq_s16_u16(" + pc + "), 2);");
            w.line("uint16x8_t negative = vcltq_s16(dot, vld1q_s16(" + env.pointer(first, "c") + "));");
            w.line("bits |= (uint64_t) vaddvq_u16(vandq_u16(negative, lane_bits)) << (" + bit + ");");
            if (zeros != null) {
                w.line("uint16x8_t zero = vbicq_u16(vcltq_s16(dot, vld1q_s16(" + env.pointer(second, "c") + ")), negative);");
                w.line("zbits |= (uint64_t) vaddvq_u16(vandq_u16(zero, lane_bits)) << (" + bit + ");");
            }
        }

        /** The 8 lanes' K from channel {@code c}: the constant, or the class table's entries. */
        private String kVector(String c) {
            return kArray == null ? "vdupq_n_s16(" + k + ")" : "vld1q_s16(" + kArray + " + " + classOffset() + c + ")";
        }

        /** Floats out from popcounts {@code pc} (lanes over channels where K has a table). */
        void affine(String pc, LaneTail.Lanes lanes) {
            w.line("int16x8_t dot = vsubq_s16(" + kVector(lanes.channel()) + ", vreinterpretq_s16_u16(vshlq_n_u16(" + pc + ", 1)));");
            affineFromDot(lanes);
        }

        /** Floats out from {@code int16x8_t dot}: {@code dot * scale + bias}, then the tail, stored. */
        void affineFromDot(LaneTail.Lanes lanes) {
            affineFromDot(lanes, lanes.from(LANES / 2));
        }

        /** As {@link #affineFromDot(LaneTail.Lanes)}, the high four lanes being {@code high}. */
        void affineFromDot(LaneTail.Lanes low, LaneTail.Lanes high) {
            w.line("float32x4_t d0 = vcvtq_f32_s32(vmovl_s16(vget_low_s16(dot)));");
            w.line("float32x4_t d1 = vcvtq_f32_s32(vmovl_high_s16(dot));");
            tail.affine(w, "y0", "d0", op.parameterInput(), low);
            tail.affine(w, "y1", "d1", op.parameterInput(), high);
        }

        /** After the loops: the zero mask's flag word. */
        void finish() {
            zeroFlagEnd(op);
        }
    }

    /** NEON vectors of 4 floats. */
    private static final FloatVectors NEON = new FloatVectors("float32x4_t", "v%sq_f32", "vdupq_n_f32", "vld1q_f32", "vst1q_f32",
            "vmaxq_f32(%1$s, vdupq_n_f32(0.0f))",
            "vbslq_f32(vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_f32(%1$s), 31)), %2$s, %1$s)",
            (pointer, stride) -> {
                String g = "vld1q_dup_f32(" + pointer + ")";
                for (int lane = 1; lane < 4; lane++) {
                    g = "vld1q_lane_f32(" + pointer + " + " + lane * stride + ", " + g + ", " + lane + ")";
                }
                return g;
            },
            (pointer, stride, v) -> {
                List<String> stores = new ArrayList<>();
                for (int lane = 0; lane < 4; lane++) {
                    stores.add("vst1q_lane_f32(" + pointer + " + " + lane * stride + ", " + v + ", " + lane + ");");
                }
                return stores;
            });
}
