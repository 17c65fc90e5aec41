package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * What the SIMD versions of the binary kernels of the C backend share, each instruction set
 * supplying its intrinsics: which steps they take on, the geometry of packing and of the depthwise
 * memory convolution's windows, signs out in batches of 8 channels per packed word, the test of
 * the input's zero mask in front of them, and the affine map and element-wise tail
 * ({@link LaneTail}). A kernel writes statements that compute the step and return, where they can;
 * the portable kernel follows them.
 */
abstract class SimdBitKernels {
    /** Channels (or positions) a batch of lanes covers: 8 bits of a packed word per batch. */
    static final int LANES = 8;
    /**
     * Most vectors whose byte-wise popcounts (at most 8 per byte) add up in bytes without overflow
     * (8 * 31 <= 255): NEON's 128-bit chunks per dot product, AVX2's words before one psadbw.
     */
    static final int MAX_BYTE_SUMS = 31;

    final Node node;
    final List<Node> tailNodes;
    final StepEnv env;
    final LaneTail tail;
    final CodeWriter w = new CodeWriter();

    SimdBitKernels(Node node, List<Node> tail, StepEnv env, FloatVectors vectors) {
        this.node = node;
        this.tailNodes = tail;
        this.env = env;
        this.tail = new LaneTail(node, tail, env, vectors);
    }

    /** The statements for the step, if these kernels cover it. */
    final Optional<String> body() {
        boolean done = false;
        if (node.op() instanceof PackSigns p) {
            done = pack(p, new PackKernel.Words(p, node.input(0).type().shape()));
        } else if (node.op() instanceof BinaryDense b) {
            done = dense(b);
        } else if (node.op() instanceof BinaryConv b) {
            done = BitKernels.pointwise(b, node) ? pointwise(b) : patches(b);
        } else if (node.op() instanceof BinaryDepthwiseConv1d b) {
            done = depthwise(b);
        } else if (node.op() instanceof Conv c) {
            done = floatConv(c);
        }
        return done ? Optional.of(w.toString()) : Optional.empty();
    }

    /** A float convolution, where these kernels have a form of it (only AVX-512's). */
    boolean floatConv(Conv op) {
        return false;
    }

    /** Packing signs: {@code s} which elements each word gathers. */
    abstract boolean pack(PackSigns op, PackKernel.Words s);

    abstract boolean dense(BinaryDense op);

    /** 1x1 layers. */
    abstract boolean pointwise(BinaryConv op);

    /** Convolutions with taps. */
    abstract boolean patches(BinaryConv op);

    abstract boolean depthwise(BinaryDepthwiseConv1d op);

    /**
     * A 1x1 layer's input {@code x} ({@code plane} positions per batch, each a row of {@code group}
     * groups of {@code wordsPerGroup} words) and weight ({@code m} output channels).
     */
    record Pointwise(Value x, Value weight, int batch, int group, int wordsPerGroup, int plane, int m) {
        static Pointwise of(BinaryConv op, Node node) {
            Value x = node.input(0);
            Value weight = node.input(op.weightInput());
            int[] xs = x.type().shape().dims();
            int row = xs[xs.length - 1];
            return new Pointwise(x, weight, xs[0], op.group(), row / op.group(), x.type().size() / xs[0] / row,
                    weight.type().dim(0));
        }
    }

    /**
     * The depthwise memory convolution's window of output position {@code t}: its first input
     * position {@code start} and the kernel taps inside the input, as bits of a word.
     */
    record Window(int start, long valid) {
        static Window of(BinaryDepthwiseConv1d op, int t) {
            int start = t * op.stride() - op.padBegin();
            int jlo = Math.min(op.kernel(), Math.max(0, -start));
            int jhi = Math.max(jlo, Math.min(op.kernel(), op.length() - start));
            return new Window(start, jhi > jlo ? ((1L << jhi) - 1) & ~((1L << jlo) - 1) : 0);
        }
    }

    /**
     * C initializers of a depthwise layer's tables: the windows' shifts, then per output position
     * its taps inside the input (as bits from the window's start) and their count.
     */
    record WindowTables(String shifts, String valid, String counts) {
        /**
         * Whether the 8 windows of each group of output positions fit one {@code copyBits}-bit copy
         * of a channel's bits ({@link #fromCopy}), the padding before the input included.
         */
        static boolean fitCopy(BinaryDepthwiseConv1d op, int copyBits) {
            return (LANES - 1) * op.stride() + op.kernel() <= copyBits && op.length() + op.padBegin() <= PackLayout.WORD;
        }

        /**
         * The 8 windows of each group of output positions cut from one copy of a channel's bits
         * (bit 0 the group's first window's first tap): each one's shift right within the copy, the
         * same for every group, times {@code shiftSign} (-1 where a signed count shifts left).
         */
        static WindowTables fromCopy(BinaryDepthwiseConv1d op, int out, int shiftSign) {
            return of(op, out, t -> t < LANES ? OptionalInt.of(shiftSign * t * op.stride()) : OptionalInt.empty(), v -> v + "u");
        }

        /** Each window in a lane of its own, shifted left from its start to bit 0 (right, for a negative count). */
        static WindowTables perLane(BinaryDepthwiseConv1d op, int out, LongFunction<String> word) {
            return of(op, out, t -> OptionalInt.of(-Window.of(op, t).start()), word);
        }

        private static WindowTables of(BinaryDepthwiseConv1d op, int out, IntFunction<OptionalInt> shift, LongFunction<String> word) {
            StringJoiner shifts = new StringJoiner(", ");
            StringJoiner valid = new StringJoiner(", ");
            StringJoiner counts = new StringJoiner(", ");
            for (int t = 0; t < out; t++) {
                long taps = Window.of(op, t).valid();
                shift.apply(t).ifPresent(k -> shifts.add(String.valueOf(k)));
                valid.add(word.apply(taps));
                counts.add(String.valueOf(Long.bitCount(taps)));
            }
            return new WindowTables(shifts.toString(), valid.toString(), counts.toString());
        }
    }

    /**
     * Signs out of {@code channels} (in the layer's pack groups) for output row {@code row}: per
     * packed word, {@code batch} writes the statements for the 8 channels from {@code c} (declared),
     * ORing their bits at bit {@code cw * 8} into {@code bits} (and {@code zbits}); then the words
     * are stored.
     */
    void packedBatches(BinaryLayerOp op, int channels, String row, Runnable batch) {
        packedBatches(op, channels, List.of(row), LANES, batch);
    }

    /**
     * As {@link #packedBatches(BinaryLayerOp, int, String, Runnable)}, in batches of {@code lanes}
     * channels, for several output rows at once: row r's words in {@code bits<suffix(r)>}.
     */
    void packedBatches(BinaryLayerOp op, int channels, List<String> rows, int lanes, Runnable batch) {
        Value zeros = zeroMask(op);
        int groups = op.packGroups();
        int cg = channels / groups;
        int wpg = new PackLayout(0, groups).wordsPerGroup(channels);
        w.loop("pg", 0, groups).loop("pw", 0, wpg);
        for (int r = 0; r < rows.size(); r++) {
            w.line("uint64_t bits" + suffix(r) + " = 0;");
            if (zeros != null) {
                w.line("uint64_t zbits" + suffix(r) + " = 0;");
            }
        }
        String batches = cg % PackLayout.WORD == 0 ? String.valueOf(PackLayout.WORD / lanes)
                : "(pw < " + (wpg - 1) + " ? " + PackLayout.WORD / lanes + " : " + cg % PackLayout.WORD / lanes + ")";
        w.loop("cw", 0, batches);
        w.line("int c = pg * " + cg + " + pw * " + PackLayout.WORD + " + cw * " + lanes + ";");
        batch.run();
        w.close();
        for (int r = 0; r < rows.size(); r++) {
            BitEpilogue.storeWords(w, env, node.outputs().get(0), zeros, rows.get(r), groups, wpg, suffix(r));
        }
        w.close().close();
    }

    /**
     * The vectors {@code vs} combined lane by lane by the two-operand function {@code op}, pairwise
     * so that the operations do not wait on one another. The packings check the product of their
     * float vectors ({@code vs} multiplied) instead of each vector for their exact pass: it is ±0 or
     * NaN in every lane where a factor is (tiny factors may underflow to 0: that only sends the step
     * to the exact pass).
     */
    static String pairwise(List<String> vs, String op) {
        List<String> level = vs;
        while (level.size() > 1) {
            List<String> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? op + "(" + level.get(i) + ", " + level.get(i + 1) + ")" : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }

    /** The suffix of the variables of row {@code r} of several: none for the first, else r. */
    static String suffix(int r) {
        return r == 0 ? "" : String.valueOf(r);
    }

    /** The layer's zero mask output, if it has one. */
    Value zeroMask(BinaryLayerOp op) {
        return op.output() == BinaryOutput.SIGNS_WITH_ZEROS ? node.outputs().get(1) : null;
    }

    /** Declares {@code any}, the OR of the zero mask's words, where the layer has one. */
    void zeroFlagStart(BinaryLayerOp op) {
        if (zeroMask(op) != null) {
            w.line("uint64_t any = 0;");
        }
    }

    /** After the loops: the zero mask's flag word. */
    void zeroFlagEnd(BinaryLayerOp op) {
        Value zeros = zeroMask(op);
        if (zeros != null) {
            w.line(env.at(zeros, String.valueOf(zeros.type().size() - 1)) + " = any;");
        }
    }

    /** Where a packing found no ±0 or NaN ({@code condition}): the zero mask all 0, and the step done. */
    void packed(PackSigns op, String condition) {
        w.open("if (" + condition + ")");
        if (!op.bipolar()) {
            w.loop("i", 0, node.outputs().get(0).type().size() + 1).line(env.at(node.outputs().get(1), "i") + " = 0;").close();
        }
        w.line("return;");
        w.close();
    }

    /**
     * Runs {@code body} when the layer's input has no zero (its mask's flag word is 0, or it has no
     * mask), then returns from the step.
     */
    void flagged(BinaryLayerOp op, Runnable body) {
        Value x = node.input(0);
        if (op.maskedInput()) {
            w.open("if (" + env.at(node.input(1), String.valueOf(x.type().size())) + " == 0)");
        } else {
            w.block();
        }
        body.run();
        w.line("return;");
        w.close();
    }
}
