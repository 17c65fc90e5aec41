package dev.bnnc.ir;

import dev.bnnc.ir.ops.Constant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, static-shaped dataflow graph: inputs, nodes in topological order, outputs.
 *
 * <p>Passes do not mutate graphs; they build new ones (see {@link GraphBuilder}), reusing the
 * values and constants they keep. {@link Verifier} checks the invariants.
 */
public final class Graph {
    private final String name;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final List<Node> nodes;
    private Map<Value, Node> producers;
    private Map<Value, List<Node>> users;

    public Graph(String name, List<Value> inputs, List<Value> outputs, List<Node> nodes) {
        this.name = Objects.requireNonNull(name, "name");
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = List.copyOf(nodes);
    }

    public String name() {
        return name;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** Nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node defining {@code v}, or empty for a graph input. */
    public Optional<Node> producer(Value v) {
        return Optional.ofNullable(producerMap().get(v));
    }

    /** Nodes that read {@code v}, in graph order (a node reading it twice appears once). */
    public List<Node> users(Value v) {
        return userMap().getOrDefault(v, List.of());
    }

    /** Whether {@code v} is read by a node or is a graph output. */
    public boolean isUsed(Value v) {
        return !users(v).isEmpty() || outputs.contains(v);
    }

    /** The tensor of {@code v} if a {@link Constant} node defines it. */
    public Optional<Tensor> constant(Value v) {
        Node p = producerMap().get(v);
        return p != null && p.op() instanceof Constant c ? Optional.of(c.value()) : Optional.empty();
    }

    /** Finds a node by name. */
    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    private synchronized Map<Value, Node> producerMap() {
        if (producers == null) {
            Map<Value, Node> m = new IdentityHashMap<>();
            for (Node n : nodes) {
                for (Value v : n.outputs()) {
                    m.put(v, n);
                }
            }
            producers = Collections.unmodifiableMap(m);
        }
        return producers;
    }

    private synchronized Map<Value, List<Node>> userMap() {
        if (users == null) {
            Map<Value, List<Node>> m = new IdentityHashMap<>();
            for (Node n : nodes) {
                for (Value v : n.inputs()) {
                    List<Node> l = m.computeIfAbsent(v, k -> new ArrayList<>());
                    if (l.isEmpty() || l.get(l.size() - 1) != n) {
                        l.add(n);
                    }
                }
            }
            m.replaceAll((k, l) -> List.copyOf(l));
            users = Collections.unmodifiableMap(m);
        }
        return users;
    }

    @Override
    public String toString() {
        return "Graph " + name + " (" + nodes.size() + " nodes)";
    }
}
