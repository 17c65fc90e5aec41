package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.PackLayout;

/**
 * What a binary layer does with each dot product: the affine map into floats, or the threshold
 * into packed signs in the next layer's layout (channels packed: {@code PackLayout(channel axis,
 * groups)}), built a word at a time in a register.
 */
final class BitEpilogue {
    /** Writes the statements for output channel {@code c} (an expression) inside {@link #channels}. */
    @FunctionalInterface
    interface ChannelBody {
        void write(String c);
    }

    private final BinaryOutput output;
    private final StepEnv env;
    private final Value first;
    private final Value second;
    private final Value y;
    private final Value zeros;
    private final int groups;
    private final int wpg;
    private final ElementTail tail;

    BitEpilogue(BinaryOutput output, Node node, StepEnv env, ElementTail tail, int params, int packGroups) {
        this.output = output;
        this.env = env;
        this.tail = tail;
        this.first = node.input(params);
        this.second = node.input(params + 1);
        this.y = node.outputs().get(0);
        this.zeros = output == BinaryOutput.SIGNS_WITH_ZEROS ? node.outputs().get(1) : null;
        this.groups = output == BinaryOutput.AFFINE ? 1 : packGroups;
        this.wpg = new PackLayout(0, groups).wordsPerGroup(first.type().dim(0));
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
        String end = cg % PackLayout.WORD == 0 ? "c0 + " + PackLayout.WORD : d.imin("c0 + " + PackLayout.WORD, "(pg + 1) * " + cg);
        w.open("for (int c = c0; c < " + end + "; c++)");
        body.write("c");
        w.close();
        if (packed) {
            storeWords(w, env, y, zeros, row, groups, wpg, "");
        }
        w.close().close();
    }

    /**
     * Stores {@code bits<suffix>} (and {@code zbits<suffix>} into the zero mask {@code zeros}, noting
     * them in {@code any}) as word {@code pw} of pack group {@code pg} of output row {@code row}.
     */
    static void storeWords(CodeWriter w, StepEnv env, Value y, Value zeros, String row, int groups, int wpg, String suffix) {
        String word = "((" + row + ") * " + groups + " + pg) * " + wpg + " + pw";
        w.line(env.at(y, word) + " = bits" + suffix + ";");
        if (zeros != null) {
            w.line(env.at(zeros, word) + " = zbits" + suffix + ";");
            w.line("any |= zbits" + suffix + ";");
        }
    }

    /**
     * Stores dot product {@code dot} of channel {@code c}: floats at logical flat index {@code flat},
     * through the step's element-wise tail.
     */
    void store(CodeWriter w, String dot, String c, String flat) {
        Dialect d = env.dialect();
        if (output == BinaryOutput.AFFINE) {
            tail.store(w, "(float) " + dot + " * " + env.at(first, c) + " + " + env.at(second, c), flat, c);
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
