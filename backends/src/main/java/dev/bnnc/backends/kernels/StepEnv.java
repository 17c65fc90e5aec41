package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.util.Optional;

/** Where a step's values live, as the backend names them. */
public interface StepEnv {
    /** The language the step is written in. */
    Dialect dialect();

    /** The array expression holding {@code v} (a parameter, the arena, or a weight array). */
    String array(Value v);

    /** Element offset of {@code v} within {@link #array}. */
    int offset(Value v);

    /** The value's tensor if it is a compile-time constant. */
    Optional<Tensor> constant(Value v);

    /**
     * A row table holding a constant (a weight, possibly laid out anew by the kernel) in rows of
     * {@code rowLength} floats; equal tensors share one table.
     */
    String constantRows(Tensor t, int rowLength);

    /**
     * A scratch row table of at least {@code rows} rows of {@code length} floats. Steps run one at
     * a time and share scratch; tables of different {@code slot}s never overlap.
     */
    String scratchRows(int slot, int rows, int length);

    /**
     * A scratch array of at least {@code length} packed-sign words. Steps run one at a time and share
     * scratch; arrays of different {@code slot}s never overlap.
     */
    String scratchWords(int slot, int length);

    /**
     * An array holding a constant the kernel derives from its node's (weights laid out anew, tables),
     * stored as {@link WeightStorage} says; equal tensors share one array. Read packed signs from it
     * with {@link Dialect#widenWord}.
     */
    String derivedConstant(Tensor t);

    /** Packed-sign word {@code index} of {@code v}, as a full word (constants may be stored narrower). */
    default String word(Value v, String index) {
        String element = at(v, index);
        return constant(v).map(t -> dialect().widenWord(element, WeightStorage.elementBits(t))).orElse(element);
    }

    /** {@code array + offset + index}: a C pointer to element {@code index} of {@code v}. */
    default String pointer(Value v, String index) {
        return array(v) + " + " + Index.plus(String.valueOf(offset(v)), index);
    }

    /** {@code array[offset + index]}, leaving out a zero offset. */
    default String at(Value v, String index) {
        int off = offset(v);
        return array(v) + "[" + (off == 0 ? index : off + " + " + index) + "]";
    }
}
