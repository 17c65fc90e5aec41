package dev.bnnc.ir.ops;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;

/**
 * How a logical tensor of signs is packed into 64-bit words ({@link dev.bnnc.ir.DType#BITS}): the
 * packed axis moves last and is cut into {@code groups} equal groups, each padded to whole words;
 * bit b of word w of a group holds element {@code 64*w + b} of that group, 1 for -1 and 0 for +1.
 * The other axes keep their order. Padding bits are 0 in activations and weights alike, so they
 * XOR to 0 and add nothing to a popcount.
 *
 * <p>A zero mask (for {@code Sign}, whose result may be 0) is a second word array with the same
 * layout, flattened, bit 1 where the element is 0 (its sign bit is then 0), plus one final word that
 * is nonzero if any element is 0, so that kernels can skip the correction when none is.
 */
public record PackLayout(int axis, int groups) {
    public static final int WORD = 64;

    public PackLayout {
        if (axis < 0 || groups <= 0) {
            throw new IrException("pack axis must be non-negative and groups positive, got " + axis + ", " + groups);
        }
    }

    /** Words per group for {@code channels} elements along the packed axis. */
    public int wordsPerGroup(int channels) {
        return (channels / groups + WORD - 1) / WORD;
    }

    /** The bits of word {@code word} of a group that hold elements of a group of {@code perGroup}. */
    public static long validBits(int perGroup, int word) {
        int n = Math.min(WORD, perGroup - word * WORD);
        return n >= WORD ? -1L : (1L << n) - 1;
    }

    /** Shape of the packed words of a logical tensor of shape {@code logical}. */
    public Shape packed(Shape logical) {
        logical.axis(axis);
        int channels = logical.dim(axis);
        if (channels % groups != 0) {
            throw new IrException("axis " + axis + " of " + logical + " does not split into " + groups + " groups");
        }
        int[] dims = new int[logical.rank()];
        for (int i = 0, j = 0; i < logical.rank(); i++) {
            if (i != axis) {
                dims[j++] = logical.dim(i);
            }
        }
        dims[logical.rank() - 1] = groups * wordsPerGroup(channels);
        return Shape.of(dims);
    }

    /** Shape of the zero mask of a logical tensor of shape {@code logical}: its words, flattened, plus the flag word. */
    public Shape zeroMask(Shape logical) {
        return Shape.of(packed(logical).size() + 1);
    }

    /**
     * For each logical element (row-major), the index of its word times 64 plus its bit: the
     * position of its sign in the packed words.
     */
    public int[] bitPositions(Shape logical) {
        int channels = logical.dim(axis);
        int perGroup = channels / groups;
        int wpg = wordsPerGroup(channels);
        int inner = logical.sizeOf(axis + 1, logical.rank());
        int[] pos = new int[logical.size()];
        for (int i = 0; i < pos.length; i++) {
            int in = i % inner;
            int c = (i / inner) % channels;
            int out = i / inner / channels;
            int row = out * inner + in; // position among the non-packed axes, row-major
            int g = c / perGroup;
            int k = c % perGroup;
            pos[i] = ((row * groups + g) * wpg + k / WORD) * WORD + k % WORD;
        }
        return pos;
    }

    /**
     * Packs logical signs ({@code > 0}, {@code < 0} or 0) into words; when {@code mask} is not null it
     * receives the zero mask (see the class comment), else a 0 packs as +1.
     */
    public long[] pack(float[] signs, Shape logical, long[] mask) {
        int[] pos = bitPositions(logical);
        long[] words = new long[packed(logical).size()];
        boolean anyZero = false;
        for (int i = 0; i < signs.length; i++) {
            int p = pos[i];
            if (signs[i] < 0) {
                words[p / WORD] |= 1L << (p % WORD);
            } else if (mask != null && !(signs[i] > 0)) {
                mask[p / WORD] |= 1L << (p % WORD);
                anyZero = true;
            }
        }
        if (mask != null) {
            mask[mask.length - 1] = anyZero ? 1 : 0;
        }
        return words;
    }

    /** The logical signs (-1, 0 or +1) of packed words, with an optional zero mask. */
    public float[] unpack(long[] words, long[] mask, Shape logical) {
        int[] pos = bitPositions(logical);
        float[] out = new float[pos.length];
        for (int i = 0; i < pos.length; i++) {
            int p = pos[i];
            if (mask != null && (mask[p / WORD] >>> (p % WORD) & 1) != 0) {
                out[i] = 0;
            } else {
                out[i] = (words[p / WORD] >>> (p % WORD) & 1) != 0 ? -1 : 1;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "PackLayout(axis " + axis + ", groups " + groups + ")";
    }
}
