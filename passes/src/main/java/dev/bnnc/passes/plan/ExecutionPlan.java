package dev.bnnc.passes.plan;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
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
    private final Map<Value, Buffer> buffers;
    private final int arenaSize;
    private final int wordArenaSize;
    private final List<Integer> copiedOutputs;

    ExecutionPlan(Graph graph, List<Node> steps, Map<Value, Buffer> buffers, int arenaSize, int wordArenaSize,
                  List<Integer> copiedOutputs) {
        this.graph = graph;
        this.steps = List.copyOf(steps);
        this.buffers = Map.copyOf(buffers);
        this.arenaSize = arenaSize;
        this.wordArenaSize = wordArenaSize;
        this.copiedOutputs = List.copyOf(copiedOutputs);
    }

    public Graph graph() {
        return graph;
    }

    /** Nodes that compute at run time, in order (constants and pure re-views such as Reshape excluded). */
    public List<Node> steps() {
        return steps;
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
            for (Value v : n.inputs()) {
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
