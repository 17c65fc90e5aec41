package dev.bnnc.passes.plan;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What both backends render: the steps to run in order (one kernel each), where every value lives,
 * how large the scratch arena is, and which outputs need a final copy (an output that is a graph
 * input, a constant, or the same value as another output).
 */
public final class ExecutionPlan {
    private final Graph graph;
    private final List<Node> steps;
    private final Map<Node, List<Node>> tails;
    private final Map<Value, Buffer> buffers;
    private final int arenaSize;
    private final int wordArenaSize;
    private final List<Integer> copiedOutputs;

    ExecutionPlan(Graph graph, List<Node> steps, Map<Node, List<Node>> tails, Map<Value, Buffer> buffers, int arenaSize,
                  int wordArenaSize, List<Integer> copiedOutputs) {
        this.graph = graph;
        this.steps = List.copyOf(steps);
        this.tails = new IdentityHashMap<>(tails);
        this.buffers = Map.copyOf(buffers);
        this.arenaSize = arenaSize;
        this.wordArenaSize = wordArenaSize;
        this.copiedOutputs = List.copyOf(copiedOutputs);
    }

    public Graph graph() {
        return graph;
    }

    /**
     * Nodes that compute at run time, in order (constants, pure re-views such as Reshape, and the
     * nodes of {@link #tail}s excluded).
     */
    public List<Node> steps() {
        return steps;
    }

    /**
     * The element-wise nodes that step {@code step} applies to each element it computes before it
     * stores (see {@link EpilogueFusion}), in order; the step writes the last one's output, and the
     * values in between have no buffer. Empty for most steps.
     */
    public List<Node> tail(Node step) {
        return tails.getOrDefault(step, List.of());
    }

    /** The values step {@code step} reads: its node's inputs and its tail's other operands. */
    public List<Value> stepInputs(Node step) {
        return stepInputs(step, tails);
    }

    /** The values step {@code step} writes. */
    public List<Value> stepOutputs(Node step) {
        return stepOutputs(step, tails);
    }

    static List<Value> stepInputs(Node step, Map<Node, List<Node>> tails) {
        List<Value> in = new ArrayList<>(step.inputs());
        Value chain = step.outputs().get(0);
        for (Node e : tails.getOrDefault(step, List.of())) {
            for (Value v : e.inputs()) {
                if (v != chain) {
                    in.add(v);
                }
            }
            chain = e.output();
        }
        return in;
    }

    static List<Value> stepOutputs(Node step, Map<Node, List<Node>> tails) {
        List<Node> tail = tails.getOrDefault(step, List.of());
        return tail.isEmpty() ? step.outputs() : tail.get(tail.size() - 1).outputs();
    }

    public Buffer buffer(Value v) {
        Buffer b = buffers.get(v);
        if (b == null) {
            throw new IllegalArgumentException("no buffer planned for %" + v.name());
        }
        return b;
    }

    /** Scratch elements (floats) one instance needs. */
    public int arenaSize() {
        return arenaSize;
    }

    /** The distinct constant values that steps read, in first-use order. */
    public List<Value> constantsUsed() {
        Set<Value> seen = new LinkedHashSet<>();
        for (Node n : steps) {
            for (Value v : stepInputs(n)) {
                if (buffer(v).storage() == Buffer.Storage.CONSTANT) {
                    seen.add(v);
                }
            }
        }
        for (int k : copiedOutputs) {
            Value v = graph.outputs().get(k);
            if (buffer(v).storage() == Buffer.Storage.CONSTANT) {
                seen.add(v);
            }
        }
        return List.copyOf(seen);
    }

    /** Scratch 64-bit words (packed signs) one instance needs. */
    public int wordArenaSize() {
        return wordArenaSize;
    }

    /** Output numbers whose value must be copied into the output array after the last step. */
    public List<Integer> copiedOutputs() {
        return copiedOutputs;
    }
}
