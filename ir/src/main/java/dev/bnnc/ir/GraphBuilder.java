package dev.bnnc.ir;

import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Graph} node by node, inferring each node's output types from its op and inputs,
 * and keeping value and node names unique.
 */
public final class GraphBuilder {
    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    /** Names taken, by the value or node that holds them. */
    private final Map<String, Object> valueNames = new HashMap<>();
    private final Map<String, Object> nodeNames = new HashMap<>();
    /** Names of the graph being rewritten: never given to new values or nodes, but claimable by their owners. */
    private final Set<String> reserved = new HashSet<>();

    public GraphBuilder(String name) {
        this.name = name;
    }

    /**
     * A builder for a rewrite of {@code source}: its values and nodes may be kept under their
     * names, and new ones get names that do not clash with them.
     */
    public static GraphBuilder rewriting(Graph source) {
        GraphBuilder b = new GraphBuilder(source.name());
        source.inputs().forEach(v -> b.reserved.add(v.name()));
        for (Node n : source.nodes()) {
            b.reserved.add(n.name());
            n.outputs().forEach(v -> b.reserved.add(v.name()));
        }
        return b;
    }

    /** Declares a new graph input. */
    public Value input(String valueName, TensorType type) {
        Value v = new Value(uniqueValueName(valueName), type);
        valueNames.put(v.name(), v);
        inputs.add(v);
        return v;
    }

    /** Keeps an existing value as a graph input (for passes that rebuild a graph). */
    public Value input(Value existing) {
        claimValueName(existing);
        inputs.add(existing);
        return existing;
    }

    /** Adds a {@link Constant} node and returns its value. */
    public Value constant(String valueName, Tensor tensor) {
        return add(valueName, new Constant(tensor), List.of(), List.of(valueName)).output();
    }

    /** Adds a node whose single output is named after the node. */
    public Value add(String nodeName, Op op, Value... in) {
        return add(nodeName, op, List.of(in), List.of(nodeName)).output();
    }

    /**
     * Adds a node, creating output values with the given names (made unique if taken) and the types
     * the op infers from its inputs.
     */
    public Node add(String nodeName, Op op, List<Value> in, List<String> outputNames) {
        List<TensorType> types = inferTypes(nodeName, op, in);
        if (types.size() != outputNames.size()) {
            throw new IrException("node " + nodeName + ": op " + op.opName() + " has " + types.size()
                    + " outputs, " + outputNames.size() + " names given");
        }
        List<Value> out = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Value v = new Value(uniqueValueName(outputNames.get(i)), types.get(i));
            valueNames.put(v.name(), v);
            out.add(v);
        }
        Node n = new Node(uniqueNodeName(nodeName), op, in, out);
        nodeNames.put(n.name(), n);
        nodes.add(n);
        return n;
    }

    /** Adds an existing node unchanged, keeping its output values (for passes). */
    public Node add(Node node) {
        claim(nodeNames, node.name(), node, "node");
        node.outputs().forEach(this::claimValueName);
        nodes.add(node);
        return node;
    }

    /**
     * Adds a node that replaces {@code original}: same name, new op and inputs, and the original's
     * output values when their types are unchanged (so users need no rewiring).
     */
    public Node replace(Node original, Op op, List<Value> in) {
        List<TensorType> types = inferTypes(original.name(), op, in);
        List<Value> out = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Value old = i < original.outputs().size() ? original.outputs().get(i) : null;
            if (old != null && old.type().equals(types.get(i))) {
                claimValueName(old);
                out.add(old);
            } else {
                Value v = new Value(uniqueValueName(old != null ? old.name() : original.name()), types.get(i));
                valueNames.put(v.name(), v);
                out.add(v);
            }
        }
        Node n = new Node(nodeNames.containsKey(original.name()) ? uniqueNodeName(original.name()) : original.name(),
                op, in, out);
        claim(nodeNames, n.name(), n, "node");
        nodes.add(n);
        return n;
    }

    public void output(Value v) {
        outputs.add(v);
    }

    public List<Value> inputs() {
        return List.copyOf(inputs);
    }

    private String uniqueValueName(String base) {
        return unique(valueNames, base);
    }

    private String uniqueNodeName(String base) {
        return unique(nodeNames, base);
    }

    public Graph build() {
        Graph g = new Graph(name, inputs, outputs, nodes);
        Verifier.verify(g);
        return g;
    }

    private static List<TensorType> inferTypes(String nodeName, Op op, List<Value> in) {
        try {
            return op.inferTypes(in.stream().map(Value::type).toList());
        } catch (IrException e) {
            throw new IrException("node " + nodeName + " (" + op.opName() + "): " + e.getMessage(), e);
        }
    }

    private void claimValueName(Value v) {
        claim(valueNames, v.name(), v, "value");
    }

    private static void claim(Map<String, Object> names, String n, Object owner, String what) {
        Object prev = names.putIfAbsent(n, owner);
        if (prev != null && prev != owner) {
            throw new IrException("duplicate " + what + " name '" + n + "'");
        }
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... if taken; the caller claims it at once. */
    private String unique(Map<String, Object> used, String base) {
        String stem = base == null || base.isEmpty() ? "v" : base;
        String candidate = stem;
        for (int i = 1; used.containsKey(candidate) || reserved.contains(candidate); i++) {
            candidate = stem + "_" + i;
        }
        return candidate;
    }
}
