package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The XNOR-popcount layers. With K signs per word, a dot product of ±1 vectors is
 * {@code K - 2 * popcount(x XOR w)}; padding bits are 0 on both sides and add nothing. Where the
 * input may hold zeros (ONNX {@code Sign(0) = 0}), a zero packs as +1 and the dot product is
 * corrected by {@code popcount(z) - 2 * popcount(z AND w)} over the zero mask z, a correction
 * skipped at run time when the mask's flag word says no zero occurred.
 *
 * <p>Loops are ordered so that one operand of the inner loop stays in locals: a layer writing
 * floats keeps each output channel's weight words (and its scale and bias) while it walks the
 * positions; one writing packed signs keeps each position's input words while it walks the
 * channels, building output words a bit at a time. Up to {@link #STRAIGHT_WORDS} words per dot
 * product are straight-line code. Convolutions with more than one tap gather each position's taps
 * into full words first ({@link PatchConv}).
 */
public final class BitKernels {
    /** Words per dot product up to which the word loop is straight-line code. */
    static final int STRAIGHT_WORDS = 16;
    /** Output positions up to which the depthwise kernel unrolls its time loop. */
    private static final int UNROLLED_POSITIONS = 32;

    private BitKernels() {}

    /**
     * Depthwise 1-D: each channel's signs are packed along time, so one output takes the window of
     * taps out of the input word(s) and compares it with the channel's kernel word in one popcount.
     */
    static void binaryDepthwiseConv1d(BinaryDepthwiseConv1d op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int words = x.type().dim(2);
        int batch = x.type().dim(0);
        int channels = x.type().dim(1);
        int out = op.outputLength();
        String wt = d.wordType();
        anyZero(w, env, x, mask);
        if (op.output() == BinaryOutput.AFFINE && words == 1 && op.dilation() == 1 && out <= UNROLLED_POSITIONS) {
            depthwiseOneWordAffine(op, node, env, tail, w);
            return;
        }
        BitEpilogue epilogue = new BitEpilogue(op.output(), node, env, tail, op.parameterInput(), op.packGroups());
        epilogue.prologue(w);
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

    /**
     * The D-FSMN memory block's case: one input word per channel, floats out. Channels outside,
     * the (few) output positions unrolled inside, each with its window's shift and mask constant.
     */
    private static void depthwiseOneWordAffine(BinaryDepthwiseConv1d op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        int channels = x.type().dim(1);
        int out = op.outputLength();
        String wt = d.wordType();
        w.loop("n", 0, x.type().dim(0)).loop("c", 0, channels);
        w.line("int xb = n * " + channels + " + c;");
        w.line(wt + " k = " + env.word(node.input(op.weightInput()), "c") + ";");
        w.line(wt + " x0 = " + env.at(x, "xb") + ";");
        if (mask != null) {
            w.line(wt + " z0 = " + env.at(mask, "xb") + ";");
        }
        w.line("float s = " + env.at(node.input(op.parameterInput()), "c") + ";");
        w.line("float b = " + env.at(node.input(op.parameterInput() + 1), "c") + ";");
        tail.hoistChannel(w, "c");
        w.line("int yb = xb * " + out + ";");
        for (int t = 0; t < out; t++) {
            int start = t * op.stride() - op.padBegin();
            int jlo = Math.min(op.kernel(), Math.max(0, -start));
            int jhi = Math.max(jlo, Math.min(op.kernel(), op.length() - start));
            long valid = jhi > jlo ? ((1L << jhi) - 1) & ~((1L << jlo) - 1) : 0;
            w.block();
            if (valid == 0) {
                w.line("int dot = 0;");
            } else {
                String win = start >= 0 ? d.shiftRight("x0", String.valueOf(start)) : "(x0 << " + -start + ")";
                w.line("int dot = " + Long.bitCount(valid) + " - 2 * " + d.popcount("(" + win + " ^ k) & " + d.word(valid)) + ";");
                if (mask != null) {
                    String zwin = start >= 0 ? d.shiftRight("z0", String.valueOf(start)) : "(z0 << " + -start + ")";
                    w.open("if (anyZero)");
                    w.line(wt + " zw = " + zwin + " & " + d.word(valid) + ";");
                    w.line("dot -= " + d.popcount("zw") + " - 2 * " + d.popcount("zw & k") + ";");
                    w.close();
                }
            }
            tail.store(w, "(float) dot * s + b", "yb + " + t, "c");
            w.close();
        }
        w.close().close();
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

    static void binaryDense(BinaryDense op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int words = x.type().shape().dim(x.type().rank() - 1);
        int rows = x.type().size() / words;
        int n = wv.type().dim(0);
        BitEpilogue out = new BitEpilogue(op.output(), node, env, tail, op.parameterInput(), op.packGroups());
        out.prologue(w);
        anyZero(w, env, x, mask);
        w.loop("r", 0, rows);
        w.line("int xb = r * " + words + ";");
        Dots dots = new Dots(env, words, u -> env.at(x, "xb + " + u), mask == null ? null : u -> env.at(mask, "xb + " + u));
        dots.keepInputs(w);
        out.channels(w, n, "r", c -> {
            w.line("int wb = " + c + " * " + words + ";");
            dots.popcount(w, u -> env.word(wv, "wb + " + u));
            w.line("int dot = " + op.inFeatures() + " - 2 * pc" + (mask != null ? " - corr" : "") + ";");
            out.store(w, "dot", c, "r * " + n + " + " + c);
        });
        w.close();
        out.epilogue(w);
    }

    static void binaryConv(BinaryConv op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        if (pointwise(op, node)) {
            pointwiseConv(op, node, env, tail, w);
        } else {
            new PatchConv(op, node, env, tail).emit(w);
        }
    }

    /** 1x1 kernel, stride 1, no padding: each position's input words are a dense row (else {@link PatchConv}). */
    static boolean pointwise(BinaryConv op, Node node) {
        Value wv = node.input(op.weightInput());
        return wv.type().shape().sizeOf(1, wv.type().rank() - 1) == 1
                && op.strides().stream().allMatch(s -> s == 1) && op.pads().stream().allMatch(p -> p == 0);
    }

    /**
     * The constants generated code holds for a node's constant inputs, as the kernels lay them out:
     * a convolution with taps stores its weights as patches and its border tables instead
     * (see {@link PatchConv}); any other node its constants as they are.
     */
    public static List<Tensor> storedConstants(Node node, Function<Value, Optional<Tensor>> constants) {
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            Optional<Tensor> t = constants.apply(node.input(i));
            boolean patchWeight = node.op() instanceof BinaryConv op && i == op.weightInput() && !pointwise(op, node);
            if (patchWeight) {
                all.addAll(PatchConv.storedConstants((BinaryConv) node.op(), node, t.orElseThrow()));
            } else {
                t.ifPresent(all::add);
            }
        }
        return all;
    }

    /**
     * 1x1 kernel, stride 1, no padding: each position's input words are a dense row. Floats out:
     * each output channel's weight words stay in locals over the positions; signs out: each
     * position's input words over the channels.
     */
    private static void pointwiseConv(BinaryConv op, Node node, StepEnv env, ElementTail tail, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value mask = op.maskedInput() ? node.input(1) : null;
        Value wv = node.input(op.weightInput());
        int[] xs = x.type().shape().dims();
        int batch = xs[0];
        int plane = x.type().size() / batch / xs[xs.length - 1];
        int m = wv.type().dim(0);
        int group = op.group();
        int cg = op.channels() / group;
        int mg = m / group;
        int wpg = xs[xs.length - 1] / group;
        String xRow = "((n * " + plane + " + p) * " + group + " + g) * " + wpg;
        String xRowOfOneGroup = "(n * " + plane + " + p) * " + wpg;
        BitEpilogue epilogue = new BitEpilogue(op.output(), node, env, tail, op.parameterInput(), op.packGroups());
        epilogue.prologue(w);
        anyZero(w, env, x, mask);
        w.loop("n", 0, batch);
        if (op.output() == BinaryOutput.AFFINE) {
            w.loop("c", 0, m);
            w.line("int g = c / " + mg + ";");
            Dots weights = new Dots(env, wpg, u -> env.word(wv, "c * " + wpg + " + " + u), null);
            weights.keepInputs(w);
            w.line("float s = " + env.at(node.input(op.parameterInput()), "c") + ";");
            w.line("float b = " + env.at(node.input(op.parameterInput() + 1), "c") + ";");
            tail.hoistChannel(w, "c");
            w.loop("p", 0, plane);
            w.line("int xb = " + xRow + ";");
            weights.popcount(w, u -> env.at(x, "xb + " + u));
            if (mask != null) {
                w.line("int corr = 0;");
                w.open("if (anyZero)");
                Dots.correction(w, d, wpg, u -> env.at(mask, "xb + " + u), weights::word);
                w.close();
            }
            w.line("int dot = " + cg + " - 2 * pc" + (mask != null ? " - corr" : "") + ";");
            tail.store(w, "(float) dot * s + b", "(n * " + m + " + c) * " + plane + " + p", "c");
            w.close().close();
        } else {
            w.loop("p", 0, plane);
            Dots dots = null;
            if (group == 1) {
                w.line("int xb = " + xRowOfOneGroup + ";");
                dots = new Dots(env, wpg, u -> env.at(x, "xb + " + u), mask == null ? null : u -> env.at(mask, "xb + " + u));
                dots.keepInputs(w);
            }
            Dots kept = dots;
            epilogue.channels(w, m, "n * " + plane + " + p", c -> {
                Dots row = kept;
                if (row == null) {
                    w.line("int g = " + c + " / " + mg + ";");
                    w.line("int xb = " + xRow + ";");
                    row = new Dots(env, wpg, u -> env.at(x, "xb + " + u), mask == null ? null : u -> env.at(mask, "xb + " + u));
                }
                w.line("int wb = " + c + " * " + wpg + ";");
                row.popcount(w, u -> env.word(wv, "wb + " + u));
                w.line("int dot = " + cg + " - 2 * pc" + (mask != null ? " - corr" : "") + ";");
                epilogue.store(w, "dot", c, "(n * " + m + " + " + c + ") * " + plane + " + p");
            });
            w.close();
        }
        w.close(); // n
        epilogue.epilogue(w);
    }

    /** Declares {@code anyZero}, whether the zero mask's flag word says a zero occurred. */
    static void anyZero(CodeWriter w, StepEnv env, Value x, Value mask) {
        if (mask != null) {
            w.line(env.dialect().booleanType() + " anyZero = " + env.at(mask, String.valueOf(x.type().size())) + " != "
                    + env.dialect().word(0) + ";");
        }
    }

    /**
     * One operand of a run of dot products over {@code words} words, and its zero mask: read once into
     * locals {@code x0, x1, ...} when short (see {@link #keepInputs}), else at each use.
     */
    static final class Dots {
        private final StepEnv env;
        private final int words;
        private final Function<String, String> source;
        private final Function<String, String> zeros;
        private boolean kept;

        /**
         * @param source the operand's word at a word index expression
         * @param zeros  its zero mask's word, or null if it has none
         */
        Dots(StepEnv env, int words, Function<String, String> source, Function<String, String> zeros) {
            this.env = env;
            this.words = words;
            this.source = source;
            this.zeros = zeros;
        }

        boolean straight() {
            return words <= STRAIGHT_WORDS;
        }

        /** Reads the words into locals, if they are few. */
        void keepInputs(CodeWriter w) {
            if (straight()) {
                for (int u = 0; u < words; u++) {
                    w.line(env.dialect().wordType() + " x" + u + " = " + source.apply(String.valueOf(u)) + ";");
                }
                kept = true;
            }
        }

        /** Word {@code u} (an index expression) of the operand. */
        String word(String u) {
            return kept ? "x" + u : source.apply(u);
        }

        /**
         * Declares {@code int pc}, the popcount of this operand XOR the other (given by its word at an
         * index expression), and {@code int corr}, the zero correction (0 when no zero occurred) if
         * this operand has a mask.
         */
        void popcount(CodeWriter w, Function<String, String> other) {
            Dialect d = env.dialect();
            if (straight()) {
                StringBuilder sum = new StringBuilder();
                for (int u = 0; u < words; u++) {
                    String i = String.valueOf(u);
                    sum.append(u == 0 ? "" : " + ").append(d.popcount(word(i) + " ^ " + other.apply(i)));
                }
                w.line("int pc = " + sum + ";");
            } else {
                w.line("int pc = 0;");
                w.loop("u", 0, words).line("pc += " + d.popcount(word("u") + " ^ " + other.apply("u")) + ";").close();
            }
            if (zeros != null) {
                w.line("int corr = 0;");
                w.open("if (anyZero)");
                correction(w, d, words, zeros, other);
                w.close();
            }
        }

        /**
         * Adds to {@code corr} what the zeros of mask {@code z} miscount against the other operand
         * (straight-line when short, as the operands may be locals).
         */
        static void correction(CodeWriter w, Dialect d, int words, Function<String, String> z, Function<String, String> other) {
            if (words <= STRAIGHT_WORDS) {
                for (int u = 0; u < words; u++) {
                    String i = String.valueOf(u);
                    w.line("corr += " + d.popcount(z.apply(i)) + " - 2 * " + d.popcount(z.apply(i) + " & " + other.apply(i)) + ";");
                }
                return;
            }
            w.loop("u", 0, words);
            w.line(d.wordType() + " z = " + z.apply("u") + ";");
            w.line("corr += " + d.popcount("z") + " - 2 * " + d.popcount("z & " + other.apply("u")) + ";");
            w.close();
        }
    }
}
