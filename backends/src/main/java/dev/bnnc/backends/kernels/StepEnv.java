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

    /** Packed-sign word {@code index} of {@code v}, as a full word (constants may be stored narrower). */
    String word(Value v, String index);

    /** {@code array[offset + index]}, leaving out a zero offset. */
    default String at(Value v, String index) {
        int off = offset(v);
        return array(v) + "[" + (off == 0 ? index : off + " + " + index) + "]";
    }
}
