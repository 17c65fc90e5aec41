package dev.bnnc.ir.interp;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import java.util.List;

/** What a kernel works on: the input tensors, already checked, and the output types the op infers from them. */
record KernelCall(List<Tensor> inputs, List<TensorType> outputTypes) {
    Tensor input(int i) {
        return inputs.get(i);
    }

    /** Whether the optional input {@code i} is present. */
    boolean has(int i) {
        return i < inputs.size();
    }

    /** The type of the single output of a one-output op. */
    TensorType outputType() {
        return outputTypes.get(0);
    }
}
