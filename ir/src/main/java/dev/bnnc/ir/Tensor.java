package dev.bnnc.ir;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Immutable tensor data: constants, folded weights and interpreter values.
 *
 * <p>Tensors have value semantics ({@link #equals} compares type and content), so the same weight
 * reached twice, e.g. by two thinnable variants, can be recognized and emitted once. The backing
 * array is never exposed; read it through {@link #floatAt}, a read-only buffer or a copy.
 */
public final class Tensor {
    private final TensorType type;
    private final float[] floats;
    private final long[] longs;
    private int hash;

    private Tensor(TensorType type, float[] floats, long[] longs) {
        this.type = type;
        this.floats = floats;
        this.longs = longs;
        int n = type.size();
        int have = floats != null ? floats.length : longs.length;
        if (have != n) {
            throw new IrException("tensor of type " + type + " needs " + n + " elements, got " + have);
        }
    }

    /** A float tensor holding a copy of {@code data}. */
    public static Tensor ofFloats(Shape shape, float... data) {
        return new Tensor(new TensorType(DType.F32, shape), data.clone(), null);
    }

    /** An integer tensor holding a copy of {@code data}. */
    public static Tensor ofLongs(Shape shape, long... data) {
        return new Tensor(new TensorType(DType.I64, shape), null, data.clone());
    }

    /**
     * A float tensor that takes ownership of {@code data} without copying; the caller must not
     * touch the array afterwards. For producers of large results (folding, the interpreter).
     */
    public static Tensor adoptFloats(Shape shape, float[] data) {
        return new Tensor(new TensorType(DType.F32, shape), data, null);
    }

    /** Integer counterpart of {@link #adoptFloats}. */
    public static Tensor adoptLongs(Shape shape, long[] data) {
        return new Tensor(new TensorType(DType.I64, shape), null, data);
    }

    /** Packed-sign words ({@link DType#BITS}), taking ownership of {@code words}. */
    public static Tensor adoptBits(Shape shape, long[] words) {
        return new Tensor(new TensorType(DType.BITS, shape), null, words);
    }

    public static Tensor scalar(float value) {
        return new Tensor(TensorType.f32(), new float[] {value}, null);
    }

    /** A tensor of the given type with every element equal to {@code value}. */
    public static Tensor filled(TensorType type, double value) {
        if (type.dtype() == DType.BITS) {
            throw new IrException("packed signs are not filled with numbers");
        }
        if (type.dtype() == DType.F32) {
            float[] a = new float[type.size()];
            Arrays.fill(a, (float) value);
            return new Tensor(type, a, null);
        }
        long[] a = new long[type.size()];
        Arrays.fill(a, (long) value);
        return new Tensor(type, null, a);
    }

    public TensorType type() {
        return type;
    }

    public DType dtype() {
        return type.dtype();
    }

    public Shape shape() {
        return type.shape();
    }

    public int size() {
        return type.size();
    }

    public float floatAt(int index) {
        return floats != null ? floats[index] : (float) longs[index];
    }

    public long longAt(int index) {
        return longs != null ? longs[index] : (long) floats[index];
    }

    /** Element as double, whatever the dtype. */
    public double doubleAt(int index) {
        return floats != null ? floats[index] : (double) longs[index];
    }

    /** A read-only view of a float tensor's elements. */
    public FloatBuffer floatBuffer() {
        requireDType(DType.F32);
        return FloatBuffer.wrap(floats).asReadOnlyBuffer();
    }

    /** A read-only view of an integer or packed-sign tensor's elements. */
    public LongBuffer longBuffer() {
        if (longs == null) {
            throw new IrException("expected an i64 or b64 tensor, got " + type);
        }
        return LongBuffer.wrap(longs).asReadOnlyBuffer();
    }

    /** The elements as floats (a copy; integers are converted). */
    public float[] toFloatArray() {
        if (floats != null) {
            return floats.clone();
        }
        float[] out = new float[longs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs[i];
        }
        return out;
    }

    /** The elements as longs (a copy; floats are truncated toward zero). */
    public long[] toLongArray() {
        if (longs != null) {
            return longs.clone();
        }
        long[] out = new long[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) floats[i];
        }
        return out;
    }

    /** The elements as ints, failing if one does not fit. For shapes, axes and indices. */
    public int[] toIntArray() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            long v = longAt(i);
            if (v != (int) v) {
                throw new IrException("value " + v + " does not fit in 32 bits");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** Same data under another shape of equal size. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) {
            throw new IrException("cannot reshape " + type + " to " + newShape);
        }
        return new Tensor(type.withShape(newShape), floats, longs);
    }

    /** Bytes this tensor takes in memory at its element type. */
    public long byteSize() {
        return (long) size() * (type.dtype() == DType.F32 ? 4 : 8);
    }

    private void requireDType(DType expected) {
        if (type.dtype() != expected) {
            throw new IrException("expected a " + expected.textName() + " tensor, got " + type);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tensor t) || !type.equals(t.type) || hashCode() != t.hashCode()) {
            return false;
        }
        return floats != null ? Arrays.equals(floats, t.floats) : Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * type.hashCode() + (floats != null ? Arrays.hashCode(floats) : Arrays.hashCode(longs));
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder sb = new StringBuilder("Tensor<").append(type).append(">(");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(floats != null ? String.valueOf(floats[i]) : String.valueOf(longs[i]));
        }
        return sb.append(size() > n ? ", ...)" : ")").toString();
    }
}
