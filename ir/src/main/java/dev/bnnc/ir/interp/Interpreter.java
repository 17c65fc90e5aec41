package dev.bnnc.ir.interp;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Op;
import java.util.List;

/** The reference interpreter: the semantic ground truth for every IR op. */
public final class Interpreter {
    private Interpreter() {}

    /** Runs {@code graph} on its inputs (in graph input order) and returns its outputs in order. */
    public static List<Tensor> run(Graph graph, List<Tensor> inputs) {
        throw new UnsupportedOperationException("interpreter not written yet");
    }

    /** Evaluates one op on input tensors; the results have the types the op infers. */
    public static List<Tensor> evaluate(Op op, List<Tensor> inputs) {
        throw new UnsupportedOperationException("interpreter not written yet");
    }
}
