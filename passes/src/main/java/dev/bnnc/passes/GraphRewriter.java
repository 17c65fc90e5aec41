package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Op;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The common shape of a pass: walk the source graph in order, keep most nodes, replace some, and
 * redirect the users of replaced values. Keeps values (and their names) wherever they survive.
 */
public final class GraphRewriter {
    private final Graph source;
    private final GraphBuilder builder;
    private final Map<Value, Value> substitutions = new IdentityHashMap<>();
    private final Map<Value, Tensor> constants = new IdentityHashMap<>();

    public GraphRewriter(Graph source) {
        this.source = source;
        this.builder = GraphBuilder.rewriting(source);
        source.inputs().forEach(builder::input);
    }

    public Graph source() {
        return source;
    }

    /** The value that now stands for {@code v} of the source graph. */
    public Value map(Value v) {
        Value m = substitutions.get(v);
        return m != null ? m : v;
    }

    public List<Value> map(List<Value> values) {
        List<Value> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(map(v));
        }
        return out;
    }

    /** Makes later readers of {@code old} read {@code replacement} instead. */
    public void substitute(Value old, Value replacement) {
        substitutions.put(old, replacement);
    }

    /** Copies a node of the source graph, rewired to the current substitutions. */
    public void keep(Node n) {
        List<Value> in = map(n.inputs());
        if (in.equals(n.inputs())) {
            builder.add(n);
            if (n.op() instanceof Constant c) {
                constants.put(n.output(), c.value());
            }
        } else {
            replace(n, n.op(), in);
        }
    }

    /** Replaces a source node by one with a new op and inputs; its outputs take over the old ones. */
    public Node replace(Node original, Op op, List<Value> inputs) {
        Node r = builder.replace(original, op, inputs);
        for (int i = 0; i < r.outputs().size(); i++) {
            if (r.outputs().get(i) != original.outputs().get(i)) {
                substitute(original.outputs().get(i), r.outputs().get(i));
            }
        }
        if (op instanceof Constant c) {
            constants.put(r.output(), c.value());
        }
        return r;
    }

    /** Adds a new node and returns its outputs, named after the node. */
    public List<Value> addAll(String nodeName, Op op, List<Value> inputs) {
        int count = op.inferTypes(inputs.stream().map(Value::type).toList()).size();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(i == 0 ? nodeName : nodeName + "_" + i);
        }
        return builder.add(nodeName, op, inputs, names).outputs();
    }

    /** Adds a new single-output node. */
    public Value add(String nodeName, Op op, Value... inputs) {
        return builder.add(nodeName, op, inputs);
    }

    /** Adds a node built by the pass (which may reuse source values as outputs, e.g. when fusing). */
    public void add(Node node) {
        builder.add(node);
    }

    /**
     * The source node defining input {@code index} of {@code consumer}, if {@code consumer} is its only
     * reader (so the pass may absorb it into the consumer).
     */
    public Optional<Node> soleProducer(Node consumer, int index) {
        Value v = consumer.input(index);
        Optional<Node> p = source.producer(v);
        if (p.isEmpty() || p.get().outputs().size() != 1 || hasOtherUses(v, consumer)
                || consumer.inputs().stream().filter(u -> u == v).count() != 1) {
            return Optional.empty();
        }
        return p;
    }

    /** Adds a new constant. */
    public Value constant(String name, Tensor value) {
        Value v = builder.constant(name, value);
        constants.put(v, value);
        return v;
    }

    /** The tensor of {@code v} (a value of the graph being built) if a Constant defines it. */
    public Optional<Tensor> constantOf(Value v) {
        Value m = map(v);
        Tensor t = constants.get(m);
        return t != null ? Optional.of(t) : source.constant(m);
    }

    /** Whether a source value is read by nodes or outputs other than {@code reader}. */
    public boolean hasOtherUses(Value v, Node reader) {
        return source.outputs().contains(v) || source.users(v).stream().anyMatch(u -> u != reader);
    }

    public Graph finish() {
        source.outputs().forEach(v -> builder.output(map(v)));
        return builder.build();
    }
}
