package dev.bnnc.frontend.onnx.export;

import dev.bnnc.frontend.onnx.OnnxElementType;
import dev.bnnc.frontend.onnx.OnnxModelBuilder;
import dev.bnnc.frontend.onnx.OnnxModelBuilder.NodeBuilder;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The state of one export, as the op mappings see it: the ONNX name of every IR value and node, and
 * the model being written.
 *
 * <p>A mapping writes the ONNX nodes for one IR node: the last one, {@link #emit}, defines the IR
 * node's outputs under their names; the ones before it are {@link #step}s with names of the form
 * {@code <node>/<step>}; constant operands (shapes, axes, bounds) become initializers named
 * {@code <node>/<role>}. IR names are claimed first, so helper names never take one of them.
 */
final class ExportContext {
    private final Graph graph;
    private final OnnxModelBuilder model;
    private final UniqueNames valueNames = new UniqueNames();
    private final UniqueNames nodeNames = new UniqueNames();
    private final Map<Value, String> values = new IdentityHashMap<>();
    private final Map<Node, String> nodes = new IdentityHashMap<>();

    ExportContext(Graph graph, OnnxModelBuilder model) {
        this.graph = graph;
        this.model = model;
        graph.inputs().forEach(v -> values.put(v, valueNames.claim(v.name())));
        for (Node n : graph.nodes()) {
            n.outputs().forEach(v -> values.put(v, valueNames.claim(v.name())));
            nodes.put(n, nodeNames.claim(n.name()));
            if (hasZeroMask(n)) {
                // The float form of packed signs holds its zeros itself: the mask is the same tensor.
                values.put(n.outputs().get(1), values.get(n.outputs().get(0)));
            }
        }
    }

    /** Whether {@code n}'s second output is the zero mask of its first, packed signs. */
    private static boolean hasZeroMask(Node n) {
        return n.outputs().size() == 2 && n.outputs().stream().allMatch(v -> v.type().dtype() == DType.BITS);
    }

    Graph graph() {
        return graph;
    }

    /** The value of a constant operand of {@code n}, which its mapping needs to rewrite. */
    Tensor constantOperand(Node n, Value v) {
        return graph.constant(v).orElseThrow(() -> new ExportException("node '" + n.name() + "' (" + n.op().opName()
                + ") has a computed operand '" + v.name() + "' where only a constant has a standard ONNX form"));
    }

    OnnxModelBuilder model() {
        return model;
    }

    /** The ONNX name of an IR value. */
    String name(Value v) {
        return values.get(v);
    }

    /** The ONNX name of an IR node. */
    String name(Node n) {
        return nodes.get(n);
    }

    String[] names(List<Value> vs) {
        return vs.stream().map(this::name).toArray(String[]::new);
    }

    /** The ONNX node defining {@code n}'s outputs; its attributes are set on the returned builder. */
    NodeBuilder emit(Node n, String opType, String... inputs) {
        return model.node(opType).name(name(n)).inputs(inputs).outputs(names(n.outputs().subList(0, hasZeroMask(n) ? 1 : n.outputs().size())));
    }

    /** A helper node of one output on the way to {@code n}'s outputs; returns that output's name. */
    String step(Node n, String step, String opType, String... inputs) {
        return step(n, step, opType, node -> { }, inputs);
    }

    /** A helper node with attributes. */
    String step(Node n, String step, String opType, Consumer<NodeBuilder> attributes, String... inputs) {
        String base = name(n) + "/" + step;
        String output = valueNames.claim(base);
        attributes.accept(model.node(opType).name(nodeNames.claim(base)).inputs(inputs).outputs(output));
        return output;
    }

    /** An initializer for one of {@code n}'s constant operands; returns its name. */
    String constant(Node n, String role, Tensor t) {
        String name = valueNames.claim(name(n) + "/" + role);
        model.initializer(name, t);
        return name;
    }

    /** A 1-D INT64 initializer (shapes, axes, pads, bounds). */
    String longs(Node n, String role, long... values) {
        return constant(n, role, Tensor.ofLongs(Shape.of(values.length), values));
    }

    String longs(Node n, String role, List<Integer> values) {
        return longs(n, role, toLongs(values));
    }

    /** A scalar initializer of the given element type. */
    String scalar(Node n, String role, DType dtype, double value) {
        return constant(n, role, Tensor.filled(new TensorType(dtype, Shape.scalar()), value));
    }

    /** An Identity node giving {@code input} a fresh name based on {@code base}; returns that name. */
    String identity(String base, String input) {
        String output = valueNames.claim(base);
        model.node("Identity").name(nodeNames.claim(base)).inputs(input).outputs(output);
        return output;
    }

    static long[] toLongs(List<Integer> values) {
        return values.stream().mapToLong(Integer::longValue).toArray();
    }

    /** The ONNX element type of an IR value; packed signs have none. */
    static OnnxElementType elementType(Value v) {
        return switch (v.type().dtype()) {
            case F32 -> OnnxElementType.FLOAT;
            case I64 -> OnnxElementType.INT64;
            case BITS -> throw new ExportException("value '" + v.name() + "' holds packed signs (" + v.type()
                    + "), which standard ONNX has no type for");
        };
    }
}
