package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.Arrays;

/**
 * Packing signs and the XNOR-popcount layers. With K signs per word, a dot product of ±1 vectors is
 * {@code K - 2 * popcount(x XOR w)}; padding bits are 0 on both sides and add nothing. Where the
 * input may hold zeros (ONNX {@code Sign(0) = 0}), a zero packs as +1 and the dot product is
 * corrected by {@code popcount(z) - 2 * popcount(z AND w)} over the zero mask z, a correction
 * skipped at run time when the mask's flag word says no zero occurred.
 */
final class BitKernels {
    /** Words per operand up to which the word loop is unrolled into straight-line code. */
    private static final int UNROLL_WORDS = 8;

    private BitKernels() {}

    static void packSigns(PackSigns op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Shape s = x.type().shape();
        int channels = s.dim(op.axis());
        int cg = channels / op.groups();
        int wpg = op.layout().wordsPerGroup(channels);
        int inner = s.sizeOf(op.axis() + 1, s.rank());
        int outer = s.sizeOf(0, op.axis());
        Value bits = node.outputs().get(0);
        Value mask = op.bipolar() ? null : node.outputs().get(1);
        String wt = d.wordType();
        String zero = d.word(0);
        if (inner == 1) {
            // Packed axis last: each word gathers 64 consecutive elements.
            w.loop("o", 0, outer).loop("g", 0, op.groups()).loop("k", 0, wpg);
            w.line("int c0 = g * " + cg + " + k * " + PackLayout.WORD + ";");
            w.line(wt + " sign = " + zero + ";");
            if (mask != null) {
                w.line(wt + " zero = " + zero + ";");
            }
            w.open("for (int b = 0; b < " + d.imin(String.valueOf(PackLayout.WORD), cg + " - k * " + PackLayout.WORD) + "; b++)");
            signBits(op, w, d, env.at(x, "o * " + channels + " + c0 + b"), "sign", "zero", "b");
            w.close();
            w.line("int wi = (o * " + op.groups() + " + g) * " + wpg + " + k;");
            w.line(env.at(bits, "wi") + " = sign;");
            if (mask != null) {
                w.line(env.at(mask, "wi") + " = zero;");
            }
            w.close().close().close();
        } else {
            // Packed axis inside: walk the positions contiguously for each element of the axis,
            // setting its bit in every position's word.
            w.loop("i", 0, bits.type().size()).line(env.at(bits, "i") + " = " + zero + ";").close();
            if (mask != null) {
                w.loop("i", 0, bits.type().size()).line(env.at(mask, "i") + " = " + zero + ";").close();
            }
            w.loop("o", 0, outer).loop("c", 0, channels);
            w.line("int b = c % " + cg + " % " + PackLayout.WORD + ";");
            w.line("int wb = o * " + inner * op.groups() * wpg + " + (c / " + cg + ") * " + wpg + " + c % " + cg + " / " + PackLayout.WORD + ";");
            w.line("int xb = (o * " + channels + " + c) * " + inner + ";");
            w.loop("i", 0, inner);
            w.line("int wi = wb + i * " + op.groups() * wpg + ";");
            signBits(op, w, d, env.at(x, "xb + i"), env.at(bits, "wi"), mask == null ? null : env.at(mask, "wi"), "b");
            w.close();
            w.close().close();
        }
        if (mask != null) {
            w.line(wt + " any = " + zero + ";");
            w.loop("i", 0, bits.type().size()).line("any |= " + env.at(mask, "i") + ";").close();
            w.line(env.at(mask, String.valueOf(bits.type().size())) + " = any;");
        }
    }

    /**
     * ORs the sign bit of float {@code value} at bit {@code bit} into {@code sign} (and, for Sign,
     * its zero bit into {@code zero}), without a branch: signs are random, a branch per element
     * would mispredict half the time.
     */
    private static void signBits(PackSigns op, CodeWriter w, Dialect d, String value, String sign, String zero, String bit) {
        String wt = d.wordType();
        w.line("int bits = " + d.floatBits(value) + ";");
        w.line("int mag = bits & 0x7fffffff;");
        if (op.bipolar()) {
            // BipolarQuant: -1 unless x >= 0 (so -0 is +1, NaN -1).
            w.line(sign + " |= (" + wt + ") ((" + d.negativeBit("bits") + " & (" + d.negativeBit("mag - 1") + " ^ 1)) | "
                    + d.negativeBit("0x7f800000 - mag") + ") << " + bit + ";");
        } else {
            // 1 for +-0 and NaN (neither < 0 nor > 0), the elements ONNX Sign maps to 0 (NaN to NaN).
            w.line("int isZero = " + d.negativeBit("mag - 1") + " | " + d.negativeBit("0x7f800000 - mag") + ";");
            w.line(sign + " |= (" + wt + ") (" + d.negativeBit("bits") + " & (isZero ^ 1)) << " + bit + ";");
            w.line(zero + " |= (" + wt + ") isZero << " + bit + ";");
        }
    }

    /**
     * Depthwise 1-D: each channel's signs are packed along time, so one output takes the window of
     * taps out of the input word(s) and compares it with the channel's kernel word in one popcount.
     */
    static void binaryDepthwiseConv1d(BinaryDepthwiseConv1d op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int batch = x.type().dim(0);
        int channels = x.type().dim(1);
        int words = x.type().dim(2);
        int out = op.outputLength();
        String wt = d.wordType();
        String zero = d.word(0);
        Epilogue epilogue = new Epilogue(op.output(), node, env, op.parameterInput(), op.packGroups());
        epilogue.prologue(w);
        if (mask != null) {
            w.line(d.booleanType() + " anyZero = " + env.at(mask, String.valueOf(x.type().size())) + " != " + zero + ";");
        }
        boolean oneWord = words == 1 && op.dilation() == 1;
        // Positions outside, channels inside: packed outputs fill a word per 64 channels in a register.
        w.loop("n", 0, batch).loop("t", 0, out);
        w.line("int start = t * " + op.stride() + " - " + op.padBegin() + ";");
        epilogue.channels(w, channels, "n * " + out + " + t", c -> {
            w.line("int xb = (n * " + channels + " + " + c + ") * " + words + ";");
            w.line(wt + " k = " + env.word(wv, c) + ";");
            if (oneWord) {
                w.line(wt + " x0 = " + env.at(x, "xb") + ";");
                if (mask != null) {
                    w.line(wt + " z0 = " + env.at(mask, "xb") + ";");
                }
            }
            windowDot(op, env, w, x, mask, oneWord);
            epilogue.store(w, "dot", c, "(n * " + channels + " + " + c + ") * " + out + " + t");
        });
        w.close().close();
        epilogue.epilogue(w);
    }

    /** Declares {@code dot}: the channel's kernel word {@code k} against its input window starting at {@code start}. */
    private static void windowDot(BinaryDepthwiseConv1d op, StepEnv env, CodeWriter w, Value x, Value mask, boolean oneWord) {
        Dialect d = env.dialect();
        String wt = d.wordType();
        String zero = d.word(0);
        w.line(wt + " win = " + zero + ";");
        w.line(wt + " valid = " + zero + ";");
        if (mask != null) {
            w.line(wt + " zwin = " + zero + ";");
        }
        if (oneWord) {
            // Taps j with 0 <= start + j < length; shifts kept below 64 (larger ones are undefined in C).
            w.line("int jlo = " + d.imin(String.valueOf(op.kernel()), d.imax("0", "-start")) + ";");
            w.line("int jhi = " + d.imax("jlo", d.imin(String.valueOf(op.kernel()), op.length() + " - start")) + ";");
            w.line("valid = ((" + d.word(1) + " << jhi) - " + d.word(1) + ") & ~((" + d.word(1) + " << jlo) - " + d.word(1) + ");");
            w.open("if (jhi > jlo)");
            w.line("win = start >= 0 ? " + d.shiftRight("x0", "start") + " : x0 << -start;");
            if (mask != null) {
                w.line("zwin = start >= 0 ? " + d.shiftRight("z0", "start") + " : z0 << -start;");
            }
            w.close();
        } else {
            w.loop("j", 0, op.kernel());
            w.line("int pos = start + j * " + op.dilation() + ";");
            w.open("if (pos >= 0 && pos < " + op.length() + ")");
            w.line("int at = xb + pos / " + PackLayout.WORD + ";");
            w.line("int sh = pos % " + PackLayout.WORD + ";");
            w.line("win |= (" + d.shiftRight(env.at(x, "at"), "sh") + " & " + d.word(1) + ") << j;");
            if (mask != null) {
                w.line("zwin |= (" + d.shiftRight(env.at(mask, "at"), "sh") + " & " + d.word(1) + ") << j;");
            }
            w.line("valid |= " + d.word(1) + " << j;");
            w.close();
            w.close();
        }
        w.line("int dot = " + d.popcount("valid") + " - 2 * " + d.popcount("(win ^ k) & valid") + ";");
        if (mask != null) {
            w.open("if (anyZero)");
            w.line("dot -= " + d.popcount("zwin & valid") + " - 2 * " + d.popcount("zwin & k & valid") + ";");
            w.close();
        }
    }

    static void binaryDense(BinaryDense op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int words = x.type().shape().dim(x.type().rank() - 1);
        int rows = x.type().size() / words;
        int n = wv.type().dim(0);
        Epilogue out = new Epilogue(op.output(), node, env, op.parameterInput(), op.packGroups());
        out.prologue(w);
        if (mask != null) {
            w.line(d.booleanType() + " anyZero = " + env.at(mask, String.valueOf(x.type().size())) + " != " + d.word(0) + ";");
        }
        w.loop("r", 0, rows);
        w.line("int xb = r * " + words + ";");
        boolean straight = words <= UNROLL_WORDS;
        if (straight) {
            for (int u = 0; u < words; u++) {
                w.line(d.wordType() + " x" + u + " = " + env.at(x, "xb + " + u) + ";");
            }
        }
        out.channels(w, n, "r", c -> {
            w.line("int wb = " + c + " * " + words + ";");
            popcounts(w, env, x, mask, wv, words, straight);
            w.line("int dot = " + op.inFeatures() + " - 2 * pc" + (mask != null ? " - corr" : "") + ";");
            out.store(w, "dot", c, "r * " + n + " + " + c);
        });
        w.close();
        out.epilogue(w);
    }

    static void binaryConv(BinaryConv op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int r = op.spatialRank();
        int[] xs = x.type().shape().dims();
        int[] in = Arrays.copyOfRange(xs, 1, r + 1);
        int[] kernel = Arrays.copyOfRange(wv.type().shape().dims(), 1, r + 1);
        int m = wv.type().dim(0);
        int group = op.group();
        int cg = op.channels() / group;
        int mg = m / group;
        int wpg = xs[r + 1] / group;
        int[] out = Arrays.copyOfRange(outputLogical(op, node).dims(), 2, r + 2);
        int plane = Shape.of(out).size();
        int[] outStrides = LoopNest.rowMajor(out);
        Epilogue epilogue = new Epilogue(op.output(), node, env, op.parameterInput(), op.packGroups());
        epilogue.prologue(w);
        if (mask != null) {
            w.line(d.booleanType() + " anyZero = " + env.at(mask, String.valueOf(x.type().size())) + " != " + d.word(0) + ";");
        }
        // Positions outside, output channels inside: the tap bounds are worked out once per position,
        // and packed outputs fill a word per 64 channels in a register.
        w.loop("n", 0, xs[0]);
        StringBuilder p = new StringBuilder("0");
        for (int i = 0; i < r; i++) {
            w.loop("o" + i, 0, out[i]);
            p.append(" + ").append(Index.times("o" + i, outStrides[i]));
            TapBounds.emit(w, d, i, in[i], out[i], kernel[i], op.strides().get(i), op.dilations().get(i), op.pads().get(i));
        }
        w.line("int p = " + p + ";");
        StringBuilder taps = new StringBuilder("1");
        for (int i = 0; i < r; i++) {
            taps.append(" * (khi").append(i).append(" - klo").append(i).append(")");
        }
        w.line("int valid = " + taps + " * " + cg + ";");
        epilogue.channels(w, m, "n * " + plane + " + p", c -> {
            w.line("int g = " + c + " / " + mg + ";");
            w.line("int pc = 0;");
            if (mask != null) {
                w.line("int corr = 0;");
            }
            StringBuilder pos = new StringBuilder("n");
            StringBuilder tap = new StringBuilder(c);
            for (int i = 0; i < r; i++) {
                w.open("for (int k" + i + " = klo" + i + "; k" + i + " < khi" + i + "; k" + i + "++)");
                pos = new StringBuilder("(" + pos + ") * " + in[i] + " + " + Index.times("o" + i, op.strides().get(i)) + " - "
                        + op.pads().get(i) + " + " + Index.times("k" + i, op.dilations().get(i)));
                tap = new StringBuilder("(" + tap + ") * " + kernel[i] + " + k" + i);
            }
            w.line("int xb = (" + pos + ") * " + group * wpg + " + g * " + wpg + ";");
            w.line("int wb = (" + tap + ") * " + wpg + ";");
            boolean straight = wpg <= UNROLL_WORDS;
            if (straight) {
                for (int u = 0; u < wpg; u++) {
                    w.line(d.wordType() + " x" + u + " = " + env.at(x, "xb + " + u) + ";");
                }
            }
            popcountsInto(w, env, x, mask, wv, wpg, straight, "int pcTap", "corrTap");
            w.line("pc += pcTap;");
            if (mask != null) {
                w.line("corr += corrTap;");
            }
            for (int i = 0; i < r; i++) {
                w.close();
            }
            w.line("int dot = valid - 2 * pc" + (mask != null ? " - corr" : "") + ";");
            epilogue.store(w, "dot", c, "(n * " + m + " + " + c + ") * " + plane + " + p");
        });
        for (int i = 0; i < r; i++) {
            w.close();
        }
        w.close(); // n
        epilogue.epilogue(w);
    }

    /** Declares {@code pc} (and {@code corr} if masked) for the words at {@code xb} and {@code wb}. */
    private static void popcounts(CodeWriter w, StepEnv env, Value x, Value mask, Value wv, int words, boolean straight) {
        popcountsInto(w, env, x, mask, wv, words, straight, "int pc", "corr");
    }

    /**
     * Declares (as {@code pcDecl}, e.g. {@code "int pc"}) the popcount of {@code x XOR w} over the
     * words, and {@code corr} as the zero correction (0 when no zero occurred). Straight-line code
     * reads x from locals {@code x0, x1, ...}.
     */
    private static void popcountsInto(CodeWriter w, StepEnv env, Value x, Value mask, Value wv, int words, boolean straight,
                                      String pc, String corr) {
        Dialect d = env.dialect();
        if (straight) {
            StringBuilder sum = new StringBuilder();
            for (int u = 0; u < words; u++) {
                sum.append(u == 0 ? "" : " + ").append(d.popcount("x" + u + " ^ " + env.word(wv, "wb + " + u)));
            }
            w.line(pc + " = " + sum + ";");
        } else {
            w.line(pc + " = 0;");
            w.loop("u", 0, words).line(pc.substring(pc.indexOf(' ') + 1) + " += " + d.popcount(env.at(x, "xb + u") + " ^ " + env.word(wv, "wb + u")) + ";").close();
        }
        if (mask != null) {
            w.line("int " + corr + " = 0;");
            w.open("if (anyZero)");
            w.loop("u", 0, words);
            w.line(d.wordType() + " z = " + env.at(mask, "xb + u") + ";");
            w.line(corr + " += " + d.popcount("z") + " - 2 * " + d.popcount("z & " + env.word(wv, "wb + u")) + ";");
            w.close();
            w.close();
        }
    }

    /** The logical output shape of a binary convolution (what its sign forms pack). */
    private static Shape outputLogical(BinaryConv op, Node node) {
        if (op.output() == BinaryOutput.AFFINE) {
            return node.outputs().get(0).type().shape();
        }
        Value x = node.input(0);
        Value wv = node.input(op.maskedInput() ? 2 : 1);
        int r = op.spatialRank();
        int[] out = new int[r + 2];
        out[0] = x.type().dim(0);
        out[1] = wv.type().dim(0);
        for (int i = 0; i < r; i++) {
            int in = x.type().dim(i + 1);
            int k = wv.type().dim(i + 1);
            int span = in + op.pads().get(i) + op.pads().get(i + r) - op.dilations().get(i) * (k - 1) - 1;
            out[i + 2] = span / op.strides().get(i) + 1;
        }
        return Shape.of(out);
    }

    /** Writes the statements for output channel {@code c} (an expression) inside {@link Epilogue#channels}. */
    @FunctionalInterface
    private interface ChannelBody {
        void write(String c);
    }

    /**
     * What a binary layer does with each dot product: the affine map into floats, or the threshold
     * into packed signs in the next layer's layout (channels packed: {@code PackLayout(channel axis,
     * groups)}), built a word at a time in a register.
     */
    private static final class Epilogue {
        private final BinaryOutput output;
        private final StepEnv env;
        private final Value first;
        private final Value second;
        private final Value y;
        private final Value zeros;
        private final int channels;
        private final int groups;
        private final int wpg;

        Epilogue(BinaryOutput output, Node node, StepEnv env, int params, int packGroups) {
            this.output = output;
            this.env = env;
            this.first = node.input(params);
            this.second = node.input(params + 1);
            this.y = node.outputs().get(0);
            this.zeros = output == BinaryOutput.SIGNS_WITH_ZEROS ? node.outputs().get(1) : null;
            this.channels = first.type().dim(0);
            this.groups = output == BinaryOutput.AFFINE ? 1 : packGroups;
            this.wpg = new PackLayout(0, groups).wordsPerGroup(channels);
        }

        void prologue(CodeWriter w) {
            if (zeros != null) {
                w.line(env.dialect().wordType() + " any = " + env.dialect().word(0) + ";");
            }
        }

        /**
         * Loops over the output channels, in runs of at most 64 that share a packed word of output
         * row {@code row} (the index over the axes other than the channels).
         */
        void channels(CodeWriter w, int count, String row, ChannelBody body) {
            Dialect d = env.dialect();
            int cg = count / groups;
            boolean packed = output != BinaryOutput.AFFINE;
            w.loop("pg", 0, groups).loop("pw", 0, wpg);
            if (packed) {
                w.line(d.wordType() + " bits = " + d.word(0) + ";");
                if (zeros != null) {
                    w.line(d.wordType() + " zbits = " + d.word(0) + ";");
                }
            }
            w.line("int c0 = pg * " + cg + " + pw * " + PackLayout.WORD + ";");
            w.open("for (int c = c0; c < " + d.imin("c0 + " + PackLayout.WORD, "(pg + 1) * " + cg) + "; c++)");
            body.write("c");
            w.close();
            if (packed) {
                String word = "((" + row + ") * " + groups + " + pg) * " + wpg + " + pw";
                w.line(env.at(y, word) + " = bits;");
                if (zeros != null) {
                    w.line(env.at(zeros, word) + " = zbits;");
                    w.line("any |= zbits;");
                }
            }
            w.close().close();
        }

        /** Stores dot product {@code dot} of channel {@code c}: at logical flat index {@code flat} for floats. */
        void store(CodeWriter w, String dot, String c, String flat) {
            Dialect d = env.dialect();
            if (output == BinaryOutput.AFFINE) {
                w.line(env.at(y, flat) + " = (float) " + dot + " * " + env.at(first, c) + " + " + env.at(second, c) + ";");
                return;
            }
            // Branch-free, as the dot products fall either side of the threshold at random.
            String wt = d.wordType();
            String shift = "(" + c + " - c0)";
            if (zeros == null) {
                w.line("bits |= (" + wt + ") " + d.negativeBit(dot + " - " + env.at(second, c)) + " << " + shift + ";");
            } else {
                w.line("bits |= (" + wt + ") " + d.negativeBit(dot + " - " + env.at(first, c)) + " << " + shift + ";");
                w.line("zbits |= (" + wt + ") (" + d.negativeBit(env.at(first, c) + " - 1 - " + dot) + " & "
                        + d.negativeBit(dot + " - " + env.at(second, c)) + ") << " + shift + ";");
            }
        }

        /** Sets the zero mask's flag word. */
        void epilogue(CodeWriter w) {
            if (zeros != null) {
                w.line(env.at(zeros, String.valueOf(zeros.type().size() - 1)) + " = any;");
            }
        }
    }
}
