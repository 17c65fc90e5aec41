package dev.bnnc.ir.interp;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: the semantic ground truth for every IR op. Constant folding evaluates
 * through it, and generated code is tested bit for bit against it, so its float results are fixed
 * by the evaluation order below, which a backend reproduces to match exactly.
 *
 * <p>Ops are evaluated on {@code f32} and, where they make sense on integers (shape arithmetic:
 * Binary, Unary NEG/ABS/SIGN, Reduce except L2 and LOG_SUM_EXP, Cast, and the data movement ops),
 * on {@code i64}.
 *
 * <h2>Canonical float evaluation</h2>
 * All arithmetic is single precision (Java {@code float}, never fused), except that element-wise
 * functions are computed in double and rounded once: {@code (float) f((double) x)}.
 * <ul>
 *   <li><b>Sums</b> use one accumulator starting at {@code 0.0f} and add terms in increasing
 *       row-major index order; a bias is added after the sum.
 *   <li><b>Conv</b>: {@code y[n,m,o] = (sum over the input channels c of m's group ascending, then
 *       over kernel positions in row-major order, of x·w[m,c,k]) + bias[m]}, with positions that
 *       fall in the padding skipped (not added as zeros).
 *   <li><b>Dense</b>: {@code y[.., n] = (sum_k x[.., k]·w[k, n]) + b[n]}, k ascending. <b>MatMul</b>
 *       likewise over k. <b>FactoredDense</b>: the weight rebuilt as MatMul of the factors (so each
 *       weight sums over the rank ascending), then as Dense. <b>Gemm</b>: {@code alpha·dot + beta·C}, where a factor exactly equal to
 *       1 is not multiplied, so that the usual case is {@code dot + C}.
 *   <li><b>Binary</b> ADD, SUB, MUL, DIV, MAX ({@link Math#max(float, float)}), MIN and PRELU in
 *       float arithmetic; POW is {@code (float) Math.pow}. Unary, LeakyRelu, Elu, Selu and Clip are
 *       {@code (float) fn.apply((double) x)} with the op's own {@code apply}.
 *   <li><b>ChannelAffine</b>: {@code x·scale[c] + shift[c]}. <b>BatchNorm</b>:
 *       {@code (x − mean[c]) / (float) Math.sqrt(var[c] + epsilon) · scale[c] + bias[c]}, left to
 *       right ({@code var[c] + epsilon} in float).
 *   <li><b>Softmax</b>: m = max along the axis, {@code e_i = (float) Math.exp(x_i − m)}, s = their
 *       sum in ascending order, {@code y_i = e_i / s}; log-softmax {@code (x_i − m) − (float) Math.log(s)}.
 *   <li><b>Pool</b>: MAX takes {@link Math#max(float, float)} over the window positions inside the
 *       input, starting from −∞. AVERAGE sums them ascending and divides by a count: with
 *       {@code countIncludePad} the window positions inside the input or its explicit pads (not
 *       the overhang ceil mode adds), otherwise the positions inside the input (ONNX Runtime's rule).
 *   <li><b>Reduce</b> visits elements in increasing row-major order: SUM, MEAN (the sum divided by
 *       the count), SUM_SQUARE ({@code x·x} summed), L1 ({@code |x|} summed), L2
 *       ({@code (float) Math.sqrt} of the sum of squares), PROD (from {@code 1.0f}), MAX and MIN
 *       ({@link Math#max(float, float)}, {@link Math#min(float, float)}), LOG_SUM_EXP
 *       ({@code (float) Math.log(sum of (float) Math.exp(x − m)) + m}, with m the maximum, as
 *       ONNX Runtime computes it).
 * </ul>
 *
 * <h2>Integers and conversions</h2>
 * {@code i64} arithmetic wraps on overflow; DIV truncates toward zero (ONNX Runtime's int64 Div)
 * and fails on a zero divisor; Reduce MEAN truncates. Cast f32 → i64 truncates toward zero;
 * i64 → f32 rounds to nearest. Pad fills integers with its value truncated.
 */
public final class Interpreter {
    private Interpreter() {}

    /** Runs {@code graph} on its inputs (in graph input order) and returns its outputs in order. */
    public static List<Tensor> run(Graph graph, List<Tensor> inputs) {
        Map<Value, Tensor> values = runAll(graph, inputs);
        return graph.outputs().stream().map(values::get).toList();
    }

    /**
     * Runs {@code graph} and returns the tensor of every value: graph inputs, then node outputs in
     * node order. For finding the first layer where two evaluations part.
     */
    public static Map<Value, Tensor> runAll(Graph graph, List<Tensor> inputs) {
        if (inputs.size() != graph.inputs().size()) {
            throw new IrException("graph " + graph.name() + " has " + graph.inputs().size() + " inputs, got "
                    + inputs.size() + " tensors");
        }
        Map<Value, Tensor> values = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Value v = graph.inputs().get(i);
            Tensor t = inputs.get(i);
            if (!t.type().equals(v.type())) {
                throw new IrException("graph input %" + v.name() + " is typed " + v.type() + ", got a tensor of type "
                        + t.type());
            }
            values.put(v, t);
        }
        for (Node n : graph.nodes()) {
            List<Tensor> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) {
                Tensor t = values.get(v);
                if (t == null) {
                    throw new IrException("node " + n.name() + " reads %" + v.name() + " before it is defined");
                }
                in.add(t);
            }
            List<Tensor> out;
            try {
                out = apply(n.op(), in);
            } catch (IrException e) {
                throw new IrException("node " + n.name() + " (" + n.op().opName() + "): " + e.getMessage(), e);
            }
            if (out.size() != n.outputs().size()) {
                throw new IrException("node " + n.name() + " has " + n.outputs().size() + " outputs, its op gives "
                        + out.size());
            }
            for (int i = 0; i < out.size(); i++) {
                Value v = n.outputs().get(i);
                if (!out.get(i).type().equals(v.type())) {
                    throw new IrException("node " + n.name() + " output %" + v.name() + " is typed " + v.type()
                            + " but " + n.op().opName() + " gives " + out.get(i).type());
                }
                values.put(v, out.get(i));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Evaluates one op on input tensors; the results have the types the op infers. Inputs the op
     * does not accept give an {@link IrException} naming it.
     */
    public static List<Tensor> evaluate(Op op, List<Tensor> inputs) {
        try {
            return apply(op, inputs);
        } catch (IrException e) {
            throw new IrException(op.opName() + ": " + e.getMessage(), e);
        }
    }

    private static List<Tensor> apply(Op op, List<Tensor> inputs) {
        List<TensorType> types = op.inferTypes(inputs.stream().map(Tensor::type).toList());
        List<Tensor> results = op.accept(OpKernels.INSTANCE, new KernelCall(List.copyOf(inputs), types));
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).type().equals(types.get(i))) {
                throw new IllegalStateException(op.opName() + " kernel produced " + results.get(i).type()
                        + " where the op infers " + types.get(i));
            }
        }
        return results;
    }
}
