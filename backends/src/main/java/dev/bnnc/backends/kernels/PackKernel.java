package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;

/**
 * Packs the signs of a float tensor ({@link PackSigns}). Each word gathers its (up to 64) elements
 * along the packed axis, {@code inner} apart, in a register and is stored once; the words of up to
 * 4 neighbouring positions build together. A first pass takes each element's sign bit, which is the
 * packed sign unless the element is ±0 or NaN, and notes whether any element may be; only then does a
 * second pass pack exactly (ONNX {@code Sign(0) = 0}, a zero mask; BipolarQuant's {@code -0 -> +1},
 * {@code NaN -> -1}).
 */
final class PackKernel {
    private PackKernel() {}

    static void packSigns(PackSigns op, Node node, StepEnv env, CodeWriter w) {
        Dialect d = env.dialect();
        Value x = node.input(0);
        Value bits = node.outputs().get(0);
        Value mask = op.bipolar() ? null : node.outputs().get(1);
        Words words = new Words(op, x.type().shape());
        String wt = d.wordType();
        // Words of neighbouring positions gather neighbouring elements: a tile of them builds at once,
        // so that each channel's elements are read contiguously. Otherwise (elements packed from
        // consecutive floats) four of a word's elements are taken per pass, where its count allows.
        int tile = words.inner % 4 == 0 ? 4 : 1;
        int unroll = tile == 1 && words.cg % 4 == 0 ? 4 : 1;
        w.line(wt + " bad = " + d.word(0) + ";");
        w.loop("o", 0, words.outer).loop("i0", 0, words.inner / tile).loop("g", 0, words.groups).loop("k", 0, words.wpg);
        w.line("int xb = (o * " + words.channels + " + g * " + words.cg + " + k * " + PackLayout.WORD + ") * " + words.inner
                + " + i0 * " + tile + ";");
        for (int t = 0; t < tile; t++) {
            w.line(wt + " sign" + t + " = " + d.word(0) + ";");
        }
        String count = words.count(w);
        w.loop("b0", 0, unroll == 1 ? count : count + " / " + unroll);
        w.line("int at = xb + " + Index.times("b0", unroll * words.inner) + ";");
        StringBuilder product = new StringBuilder();
        for (int u = 0; u < unroll; u++) {
            String b = unroll == 1 ? "b0" : "(b0 * " + unroll + " + " + u + ")";
            for (int t = 0; t < tile; t++) {
                String v = "v" + (u * tile + t);
                w.line("float " + v + " = " + env.at(x, "at + " + (t + u * words.inner)) + ";");
                w.line("sign" + t + " |= (" + wt + ") " + d.negativeBit(d.floatBits(v)) + " << " + b + ";");
                product.append(product.length() == 0 ? "" : " * ").append(v);
            }
        }
        // A ±0 or NaN element makes the product of the pass's four ±0 or NaN (so does an underflow,
        // which only sends the step to the exact pass): one check per pass.
        w.line("int product = " + d.floatBits(product.toString()) + ";");
        w.line("bad |= " + d.zeroOrNanFlag("product") + ";");
        w.close();
        for (int t = 0; t < tile; t++) {
            w.line(env.at(bits, "((o * " + words.inner + " + i0 * " + tile + " + " + t + ") * " + words.groups + " + g) * " + words.wpg
                    + " + k") + " = sign" + t + ";");
        }
        w.close().close().close().close();
        if (mask != null) {
            w.loop("i", 0, bits.type().size() + 1).line(env.at(mask, "i") + " = " + d.word(0) + ";").close();
        }
        w.open("if (" + d.shiftRight("bad", "32") + " != " + d.word(0) + ")");
        exact(op, env, w, x, bits, mask, words);
        w.close();
    }

    /** Packs again, exactly: signs, and the zero mask with its flag word. */
    private static void exact(PackSigns op, StepEnv env, CodeWriter w, Value x, Value bits, Value mask, Words words) {
        Dialect d = env.dialect();
        String wt = d.wordType();
        String zero = d.word(0);
        if (mask != null) {
            w.line(wt + " any = " + zero + ";");
        }
        words.forEach(w, (wi, element, count) -> {
            w.line(wt + " sign = " + zero + ";");
            if (mask != null) {
                w.line(wt + " zero = " + zero + ";");
            }
            w.loop("b", 0, count);
            w.line("int bits = " + d.floatBits(env.at(x, element)) + ";");
            w.line("int mag = bits & 0x7fffffff;");
            if (op.bipolar()) {
                // BipolarQuant: -1 unless x >= 0 (so -0 is +1, NaN -1).
                w.line("sign |= (" + wt + ") ((" + d.negativeBit("bits") + " & (" + d.negativeBit("mag - 1") + " ^ 1)) | "
                        + d.negativeBit("0x7f800000 - mag") + ") << b;");
            } else {
                // 1 for +-0 and NaN (neither < 0 nor > 0), the elements ONNX Sign maps to 0 (NaN to NaN).
                w.line("int isZero = " + d.negativeBit("mag - 1") + " | " + d.negativeBit("0x7f800000 - mag") + ";");
                w.line("sign |= (" + wt + ") (" + d.negativeBit("bits") + " & (isZero ^ 1)) << b;");
                w.line("zero |= (" + wt + ") isZero << b;");
            }
            w.close();
            w.line(env.at(bits, wi) + " = sign;");
            if (mask != null) {
                w.line(env.at(mask, wi) + " = zero;");
                w.line("any |= zero;");
            }
        });
        if (mask != null) {
            w.line(env.at(mask, String.valueOf(bits.type().size())) + " = any;");
        }
    }

    /** The words of a packing: which elements each one gathers. */
    static final class Words {
        final int channels;
        final int groups;
        final int cg;
        final int wpg;
        final int inner;
        final int outer;

        Words(PackSigns op, Shape s) {
            channels = s.dim(op.axis());
            groups = op.groups();
            cg = channels / groups;
            wpg = op.layout().wordsPerGroup(channels);
            inner = s.sizeOf(op.axis() + 1, s.rank());
            outer = s.sizeOf(0, op.axis());
        }

        @FunctionalInterface
        interface Body {
            /** Writes word {@code wi} from elements {@code element} (of loop variable b) for b in [0, count). */
            void write(String wi, String element, String count);
        }

        /** Loops over the words in storage order. */
        void forEach(CodeWriter w, Body body) {
            w.loop("o", 0, outer).loop("i", 0, inner).loop("g", 0, groups).loop("k", 0, wpg);
            w.line("int xb = (o * " + channels + " + g * " + cg + " + k * " + PackLayout.WORD + ") * " + inner + " + i;");
            body.write(word("i", "k"), "xb + " + Index.times("b", inner), count(w));
            w.close().close().close().close();
        }

        /** Where word {@code k} of group g of position {@code position} (inside the axis) of o goes. */
        String word(String position, Object k) {
            return "((o * " + inner + " + " + position + ") * " + groups + " + g) * " + wpg + " + " + k;
        }

        /** The elements of word k of a group (inside the loops over k): a constant, or a local it declares. */
        String count(CodeWriter w) {
            if (cg % PackLayout.WORD == 0) {
                return String.valueOf(PackLayout.WORD);
            }
            w.line("int count = k < " + (wpg - 1) + " ? " + PackLayout.WORD + " : " + (cg - (wpg - 1) * PackLayout.WORD) + ";");
            return "count";
        }
    }
}
