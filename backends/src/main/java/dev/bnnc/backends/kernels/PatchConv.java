package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.PackLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A binary convolution with more than one tap (or strides, or padding), as dot products of full
 * words: each output position's taps are gathered into a patch, tap after tap, {@code cg} bits
 * each (a 5x5 kernel over 32 channels: 800 bits in 13 words, where one word per tap would take
 * 25 half-empty ones), and the weights are laid out the same way at compile time. The input is
 * first copied into a zero-bordered image, so gathering needs no bounds checks. A tap in the
 * border reads 0 (a +1 sign) where it must add nothing: for each combination of border taps (a
 * class of positions) and output channel, a compile-time table holds what that miscounts.
 */
final class PatchConv {
    /** Patch words per position up to which they are gathered by straight-line code into locals. */
    private static final int STRAIGHT_GATHER = 128;

    private final BinaryConv op;
    private final Node node;
    private final StepEnv env;
    private final Dialect d;
    private final Value x;
    private final Value mask;
    private final Value wv;
    private final int r;
    private final int batch;
    private final int[] in;
    private final int[] out;
    private final int[] kernel;
    private final int[] padBegin;
    private final int[] padded;
    private final int taps;
    private final int group;
    private final int cg;
    private final int wpg;
    private final int m;
    private final int mg;
    /** Patch words per group. */
    private final int pw;
    private final ElementTail tail;

    /** The weight signs, as the layer has them. */
    private final Tensor weight;

    PatchConv(BinaryConv op, Node node, StepEnv env, ElementTail tail) {
        this(op, node, env, tail, env.constant(node.input(op.weightInput())).orElseThrow());
    }

    /** For the constants only (no code): {@code env} and {@code tail} may be null. */
    private PatchConv(BinaryConv op, Node node, StepEnv env, ElementTail tail, Tensor weight) {
        this.op = op;
        this.tail = tail;
        this.node = node;
        this.env = env;
        this.weight = weight;
        this.d = env == null ? null : env.dialect();
        this.x = node.input(0);
        this.mask = op.maskedInput() ? node.input(1) : null;
        this.wv = node.input(op.weightInput());
        this.r = op.spatialRank();
        int[] xs = x.type().shape().dims();
        this.batch = xs[0];
        this.in = Arrays.copyOfRange(xs, 1, r + 1);
        this.kernel = Arrays.copyOfRange(wv.type().shape().dims(), 1, r + 1);
        this.taps = Shape.of(kernel).size();
        this.group = op.group();
        this.cg = op.channels() / group;
        this.wpg = xs[r + 1] / group;
        this.m = wv.type().dim(0);
        this.mg = m / group;
        this.pw = (taps * cg + PackLayout.WORD - 1) / PackLayout.WORD;
        this.out = new int[r];
        this.padBegin = new int[r];
        this.padded = new int[r];
        for (int i = 0; i < r; i++) {
            int span = in[i] + op.pads().get(i) + op.pads().get(i + r) - op.dilations().get(i) * (kernel[i] - 1) - 1;
            out[i] = span / op.strides().get(i) + 1;
            padBegin[i] = op.pads().get(i);
            int lastRead = (out[i] - 1) * op.strides().get(i) - padBegin[i] + (kernel[i] - 1) * op.dilations().get(i);
            padded[i] = padBegin[i] + Math.max(in[i], lastRead + 1);
        }
    }

    private boolean straightGather() {
        return taps * wpg * group <= STRAIGHT_GATHER;
    }

    /** Whether a position's patches are gathered in locals (then stored at once) rather than in the array. */
    private boolean patchesInLocals() {
        return group * pw <= BitKernels.STRAIGHT_WORDS && straightGather();
    }

    int channels() {
        return m;
    }

    int batch() {
        return batch;
    }

    /** Positions per image. */
    int plane() {
        return Shape.of(out).size();
    }

    /** Patch words per position (all groups). */
    int rowWords() {
        return group * pw;
    }

    int group() {
        return group;
    }

    /** Patch words per group: the dot products' length in words. */
    int patchWords() {
        return pw;
    }

    /** Signs per dot product, border taps included. */
    int dotLength() {
        return taps * cg;
    }


    Classes classes() {
        return new Classes();
    }

    void emit(CodeWriter w) {
        BitEpilogue epilogue = new BitEpilogue(op.output(), node, env, tail, op.parameterInput(), op.packGroups());
        epilogue.prologue(w);
        BitKernels.anyZero(w, env, x, mask);
        String[] patches = gatherPatches(w);
        String weights = env.derivedConstant(patchWeights());
        Classes classes = classes();
        String table = classes.table == null ? null : env.derivedConstant(classes.table);
        int plane = plane();
        positions(w, classes, () -> {
            BitKernels.Dots kept = null;
            if (group == 1) {
                kept = rowDots(patches, "0");
                kept.keepInputs(w);
            }
            BitKernels.Dots row = kept;
            epilogue.channels(w, m, "n * " + plane + " + p", c -> {
                w.line("int wb = " + c + " * " + pw + ";");
                BitKernels.Dots dots = row != null ? row : rowDots(patches, c + " / " + mg + " * " + pw);
                dots.popcount(w, u -> d.widenWord(weights + "[wb + " + u + "]", WeightStorage.elementBits(patchWeights())));
                String k = table == null ? String.valueOf(taps * cg) : table + "[cls * " + m + " + " + c + "]";
                w.line("int dot = " + k + " - 2 * pc" + (mask != null ? " - corr" : "") + ";");
                epilogue.store(w, "dot", c, "(n * " + m + " + " + c + ") * " + plane + " + p");
            });
        });
        epilogue.epilogue(w);
    }

    /** The dot products' operand: the position's patch at word {@code offset} (an expression) of its row. */
    private BitKernels.Dots rowDots(String[] patches, String offset) {
        String at = offset.equals("0") ? "row + " : "row + " + offset + " + ";
        return new BitKernels.Dots(env, pw, u -> patches[0] + "[" + at + u + "]",
                patches[1] == null ? null : u -> patches[1] + "[" + at + u + "]");
    }

    /**
     * Loops over the output positions, declaring {@code n}, {@code p} (the position in its image),
     * {@code row} (where its patches start in the patch arrays) and, if positions have classes,
     * {@code cls}; {@code body} writes the statements for one.
     */
    void positions(CodeWriter w, Classes classes, Runnable body) {
        positions(w, classes, false, body);
    }

    /** Whether the positions go in pairs along the last axis ({@link #positions(CodeWriter, Classes, boolean, Runnable)}). */
    boolean pairable() {
        return out[r - 1] % 2 == 0;
    }

    /**
     * As {@link #positions(CodeWriter, Classes, Runnable)}; with {@code pairs} ({@link #pairable}),
     * for every other position: the body covers p and p + 1 (whose patches follow p's, and whose
     * class is {@code cls1}).
     */
    void positions(CodeWriter w, Classes classes, boolean pairs, Runnable body) {
        positions(w, classes, pairs, true, body);
    }

    /** As {@link #positions(CodeWriter, Classes, boolean, Runnable)}, declaring {@code row} only if {@code rowStart}. */
    private void positions(CodeWriter w, Classes classes, boolean pairs, boolean rowStart, Runnable body) {
        int[] outStrides = LoopNest.rowMajor(out);
        w.loop("n", 0, batch);
        StringBuilder p = new StringBuilder("0");
        StringBuilder cls = new StringBuilder("0");
        StringBuilder nextCls = new StringBuilder("0");
        for (int i = 0; i < r; i++) {
            String o = "o" + i;
            if (pairs && i == r - 1) {
                w.open("for (int " + o + " = 0; " + o + " < " + out[i] + "; " + o + " += 2)");
            } else {
                w.loop(o, 0, out[i]);
            }
            p.append(" + ").append(Index.times(o, outStrides[i]));
            if (classes.counts[i] > 1) {
                String axis = env.derivedConstant(classes.axisTable(i));
                cls.append(" + ").append(axis).append("[").append(o).append("] * ").append(classes.multipliers[i]);
                nextCls.append(" + ").append(axis).append("[").append(i == r - 1 ? o + " + 1" : o).append("] * ")
                        .append(classes.multipliers[i]);
            }
        }
        w.line("int p = " + p + ";");
        if (rowStart) {
            w.line("int row = (n * " + plane() + " + p) * " + rowWords() + ";");
        }
        if (classes.table != null) {
            w.line("int cls = " + cls + ";");
            if (pairs) {
                w.line("int cls1 = " + nextCls + ";");
            }
        }
        body.run();
        for (int i = 0; i < r; i++) {
            w.close();
        }
        w.close(); // n
    }

    /**
     * Gathers every position's patches into a scratch array, at row {@code (n * plane + p)}; and, if
     * a zero occurred, the zero mask's into another. Returns the two arrays' names (the second null
     * for an input without a mask).
     */
    String[] gatherPatches(CodeWriter w) {
        return gatherPatches(w, mask != null);
    }

    /** As {@link #gatherPatches(CodeWriter)}, leaving out the zero mask's patches unless {@code masks}. */
    String[] gatherPatches(CodeWriter w, boolean masks) {
        return gatherPatches(w, masks, false);
    }

    /** Whether {@link #gatherPatches(CodeWriter, boolean, boolean)} can lay the patches out word by word. */
    boolean wordMajorPatches() {
        return patchesInLocals();
    }

    /**
     * As {@link #gatherPatches(CodeWriter, boolean)}; with {@code wordMajor} (where {@link
     * #wordMajorPatches}), word u of every position's patch together: position {@code n * plane +
     * p}'s at {@code u * batch * plane} on, so that neighbouring positions' words load as a vector.
     */
    String[] gatherPatches(CodeWriter w, boolean masks, boolean wordMajor) {
        if (wordMajor && !wordMajorPatches()) {
            throw new IllegalArgumentException("word-major patches are gathered in locals only");
        }
        Source image = image(w, x, 0);
        Source zeroImage = null;
        if (masks) {
            w.open("if (anyZero)");
            zeroImage = image(w, mask, 1);
            w.close();
        }
        int size = batch * plane() * rowWords();
        String patches = env.scratchWords(2, size);
        String zeroPatches = masks ? env.scratchWords(3, size) : null;
        int[] imageStrides = imageStrides();
        Source zi = zeroImage;
        positions(w, new Classes(false), false, !wordMajor, () -> {
            StringBuilder base = new StringBuilder("n * " + imageStrides[0] * padded[0]);
            for (int i = 0; i < r; i++) {
                base.append(" + ").append(Index.times("o" + i, op.strides().get(i) * imageStrides[i]));
            }
            w.line("int base = " + base + ";");
            gather(w, image, patches, wordMajor);
            if (zeroPatches != null) {
                w.open("if (anyZero)");
                gather(w, zi, zeroPatches, wordMajor);
                w.close();
            }
        });
        return new String[] {patches, zeroPatches};
    }

    /** Word {@code u} of group {@code g}'s patch at the position's row: a local while gathering, or the array's element. */
    private String word(String patch, String g, String u) {
        String at = g.equals("0") ? u : g + " * " + pw + " + " + u;
        if (patchesInLocals()) {
            return "P" + (g.equals("0") ? u : String.valueOf(Integer.parseInt(g) * pw + Integer.parseInt(u)));
        }
        return patch + "[row + " + at + "]";
    }

    /** The statements filling patch {@code patch} from {@code image} at position {@code base} (word-major: see {@link #gatherPatches}). */
    private void gather(CodeWriter w, Source image, String patch, boolean wordMajor) {
        int[] imageStrides = imageStrides();
        int[] tapStrides = LoopNest.rowMajor(kernel);
        w.block();
        if (patchesInLocals()) {
            for (int u = 0; u < rowWords(); u++) {
                w.line(d.wordType() + " P" + u + " = " + d.word(0) + ";");
            }
        } else {
            w.loop("u", 0, rowWords()).line(patch + "[row + u] = " + d.word(0) + ";").close();
        }
        if (straightGather()) {
            for (int g = 0; g < group; g++) {
                for (int t = 0; t < taps; t++) {
                    int offset = g * wpg;
                    for (int i = 0; i < r; i++) {
                        offset += t / tapStrides[i] % kernel[i] * op.dilations().get(i) * imageStrides[i];
                    }
                    for (int j = 0; j < wpg; j++) {
                        place(w, patch, g, image.at("base + " + (offset + j)), t * cg + j * PackLayout.WORD,
                                Math.min(PackLayout.WORD, cg - j * PackLayout.WORD));
                    }
                }
            }
            if (patchesInLocals()) {
                for (int u = 0; u < rowWords(); u++) {
                    String at = wordMajor ? Index.plus("n * " + plane() + " + p", String.valueOf(u * batch * plane())) : "row + " + u;
                    w.line(patch + "[" + at + "] = P" + u + ";");
                }
            }
            w.close();
            return;
        }
        // Many taps: a loop, with each tap's place worked out at run time.
        w.loop("g", 0, group).loop("t", 0, taps);
        StringBuilder offset = new StringBuilder("g * " + wpg);
        for (int i = 0; i < r; i++) {
            offset.append(" + t / ").append(tapStrides[i]).append(" % ").append(kernel[i]).append(" * ")
                    .append(op.dilations().get(i) * imageStrides[i]);
        }
        w.line("int at = base + " + offset + ";");
        w.loop("j", 0, wpg);
        w.line(d.wordType() + " v = " + image.at("at + j") + ";");
        w.line("int bit = t * " + cg + " + j * " + PackLayout.WORD + ";");
        w.line("int word = row + g * " + pw + " + bit / " + PackLayout.WORD + ";");
        w.line("int sh = bit % " + PackLayout.WORD + ";");
        w.line(patch + "[word] |= v << sh;");
        // A field crossing a word boundary; its shift is then below 64 (a shift by 64 is undefined in C).
        w.open("if (sh + " + d.imin(String.valueOf(PackLayout.WORD), cg + " - j * " + PackLayout.WORD) + " > " + PackLayout.WORD + ")");
        w.line(patch + "[word + 1] |= " + d.shiftRight("v", PackLayout.WORD + " - sh") + ";");
        w.close();
        w.close().close().close();
        w.close();
    }

    /** ORs {@code bits} bits of word {@code value} into the patch of group {@code g} at bit {@code at}. */
    private void place(CodeWriter w, String patch, int g, String value, int at, int bits) {
        String first = word(patch, String.valueOf(g), String.valueOf(at / PackLayout.WORD));
        int sh = at % PackLayout.WORD;
        if (sh + bits <= PackLayout.WORD) {
            w.line(first + " |= " + (sh == 0 ? value : value + " << " + sh) + ";");
            return;
        }
        w.block();
        w.line(d.wordType() + " v = " + value + ";");
        w.line(first + " |= v << " + sh + ";");
        w.line(word(patch, String.valueOf(g), String.valueOf(at / PackLayout.WORD + 1)) + " |= "
                + d.shiftRight("v", String.valueOf(PackLayout.WORD - sh)) + ";");
        w.close();
    }

    private int[] imageStrides() {
        int[] dims = Arrays.copyOf(padded, r + 1);
        dims[r] = group * wpg;
        return Arrays.copyOf(LoopNest.rowMajor(dims), r);
    }

    private int imageSize() {
        return batch * Shape.of(padded).size() * group * wpg;
    }

    private boolean needsImage() {
        return !Arrays.equals(padded, in) || Arrays.stream(padBegin).anyMatch(p -> p != 0);
    }

    /**
     * Where gathering reads the words of {@code v} (the input or its mask): a zero-bordered copy, or
     * {@code v} itself (as its array plus offset) when no tap reads outside it.
     */
    private Source image(CodeWriter w, Value v, int slot) {
        if (!needsImage()) {
            return new Source(env.array(v), env.offset(v));
        }
        String image = env.scratchWords(slot, imageSize());
        fillImage(w, v, image);
        return new Source(image, 0);
    }

    /** Words read at {@code array[offset + index]}. */
    private record Source(String array, int offset) {
        String at(String index) {
            return array + "[" + (offset == 0 ? index : offset + " + " + index) + "]";
        }
    }

    /** Copies {@code v}'s words into the interior of {@code image}, zeros around. */
    private void fillImage(CodeWriter w, Value v, String image) {
        w.loop("i", 0, imageSize()).line(image + "[i] = " + d.word(0) + ";").close();
        int[] imageStrides = imageStrides();
        int rowWords = in[r - 1] * group * wpg;
        int[] rows = Arrays.copyOf(in, r - 1);
        StringBuilder src = new StringBuilder("n * " + Shape.of(in).size() * group * wpg);
        StringBuilder dst = new StringBuilder("n * " + imageStrides[0] * padded[0] + " + " + padBegin[r - 1] * group * wpg);
        int[] inStrides = LoopNest.rowMajor(in);
        w.loop("n", 0, batch);
        for (int i = 0; i < r - 1; i++) {
            w.loop("q" + i, 0, rows[i]);
            src.append(" + q").append(i).append(" * ").append(inStrides[i] * group * wpg);
            dst.append(" + (q").append(i).append(" + ").append(padBegin[i]).append(") * ").append(imageStrides[i]);
        }
        w.line(d.copy(env.array(v), Index.plus(String.valueOf(env.offset(v)), src.toString()), image, dst.toString(), rowWords));
        for (int i = 0; i < r - 1; i++) {
            w.close();
        }
        w.close();
    }

    /** The weight signs as patches: output channel c's taps one after another, {@code cg} bits each. */
    /**
     * The constants the generated code holds for the layer's weights: the weights as patches, and
     * the tables of the position classes if some positions have border taps.
     */
    static List<Tensor> storedConstants(BinaryConv op, Node node, Tensor weight) {
        PatchConv pc = new PatchConv(op, node, null, null, weight);
        List<Tensor> all = new ArrayList<>(List.of(pc.patchWeights()));
        Classes classes = pc.classes();
        if (classes.table != null) {
            all.add(classes.table);
            for (int i = 0; i < pc.r; i++) {
                if (classes.counts[i] > 1) {
                    all.add(classes.axisTable(i));
                }
            }
        }
        return all;
    }

    Tensor patchWeights() {
        Tensor t = weight;
        long[] words = new long[m * pw];
        for (int c = 0; c < m; c++) {
            for (int tap = 0; tap < taps; tap++) {
                for (int j = 0; j < wpg; j++) {
                    long v = t.longAt((c * taps + tap) * wpg + j);
                    int at = tap * cg + j * PackLayout.WORD;
                    words[c * pw + at / PackLayout.WORD] |= v << (at % PackLayout.WORD);
                    if (at % PackLayout.WORD != 0) {
                        int bits = Math.min(PackLayout.WORD, cg - j * PackLayout.WORD);
                        if (at % PackLayout.WORD + bits > PackLayout.WORD) {
                            words[c * pw + at / PackLayout.WORD + 1] |= v >>> (PackLayout.WORD - at % PackLayout.WORD);
                        }
                    }
                }
            }
        }
        return Tensor.adoptBits(Shape.of(m, pw), words);
    }

    /**
     * Positions grouped by which taps fall in the border: per axis the distinct ranges of inside
     * taps, and for each combination and output channel {@code dot = table - 2 * popcount}.
     */
    final class Classes {
        final int[] counts = new int[r];
        final int[] multipliers = new int[r];
        final List<List<int[]>> ranges = new ArrayList<>();
        final int[][] classOf = new int[r][];
        /** [classes, M]: the inside taps' signs plus twice the border taps' weight signs; null if no position has any. */
        final Tensor table;

        Classes() {
            this(true);
        }

        /** With {@code tables} false, all positions are one class (for loops that need no classes). */
        Classes(boolean tables) {
            boolean border = false;
            for (int i = 0; i < r; i++) {
                Map<List<Integer>, Integer> ids = new LinkedHashMap<>();
                classOf[i] = new int[out[i]];
                for (int o = 0; o < out[i]; o++) {
                    int lo = kernel[i];
                    int hi = 0;
                    for (int k = 0; k < kernel[i]; k++) {
                        int q = o * op.strides().get(i) - padBegin[i] + k * op.dilations().get(i);
                        if (q >= 0 && q < in[i]) {
                            lo = Math.min(lo, k);
                            hi = Math.max(hi, k + 1);
                        }
                    }
                    List<Integer> range = List.of(Math.min(lo, hi), hi);
                    classOf[i][o] = ids.computeIfAbsent(range, key -> ids.size());
                    border |= range.get(0) != 0 || range.get(1) != kernel[i];
                }
                ranges.add(ids.keySet().stream().map(l -> new int[] {l.get(0), l.get(1)}).toList());
                counts[i] = ids.size();
            }
            if (!tables) {
                Arrays.fill(counts, 1);
            }
            int classes = 1;
            for (int i = r - 1; i >= 0; i--) {
                multipliers[i] = classes;
                classes *= counts[i];
            }
            table = border && tables ? table(classes) : null;
        }

        /**
         * The table by output channel and position, {@code [M, plane]}, positions in row-major order
         * over the output axes (for kernels whose lanes are positions).
         */
        Tensor tableByPosition() {
            int plane = plane();
            long[] t = new long[m * plane];
            for (int p = 0; p < plane; p++) {
                int cls = 0;
                int rest = p;
                for (int i = r - 1; i >= 0; i--) {
                    cls += classOf[i][rest % out[i]] * multipliers[i];
                    rest /= out[i];
                }
                for (int c = 0; c < m; c++) {
                    t[c * plane + p] = table.longAt(cls * m + c);
                }
            }
            return Tensor.ofLongs(Shape.of(m, plane), t);
        }

        Tensor axisTable(int i) {
            long[] v = Arrays.stream(classOf[i]).asLongStream().toArray();
            return Tensor.ofLongs(Shape.of(v.length), v);
        }

        private Tensor table(int classes) {
            Tensor weights = patchWeights();
            int[] tapStrides = LoopNest.rowMajor(kernel);
            long[] t = new long[classes * m];
            for (int cls = 0; cls < classes; cls++) {
                long[] border = new long[pw];
                int inside = 0;
                for (int tap = 0; tap < taps; tap++) {
                    boolean in = true;
                    for (int i = 0; i < r; i++) {
                        int[] range = ranges.get(i).get(cls / multipliers[i] % counts[i]);
                        int k = tap / tapStrides[i] % kernel[i];
                        in &= k >= range[0] && k < range[1];
                    }
                    if (in) {
                        inside++;
                        continue;
                    }
                    for (int b = tap * cg; b < (tap + 1) * cg; b++) {
                        border[b / PackLayout.WORD] |= 1L << (b % PackLayout.WORD);
                    }
                }
                for (int c = 0; c < m; c++) {
                    int miscounted = 0;
                    for (int u = 0; u < pw; u++) {
                        miscounted += Long.bitCount(weights.longAt(c * pw + u) & border[u]);
                    }
                    t[cls * m + c] = (long) inside * cg + 2L * miscounted;
                }
            }
            return Tensor.ofLongs(Shape.of(classes, m), t);
        }
    }
}
