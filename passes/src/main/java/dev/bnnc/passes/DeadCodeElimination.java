package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Removes nodes none of whose outputs reach a graph output. Guarantees: every node is live. */
public final class DeadCodeElimination implements Pass {
    @Override
    public String name() {
        return "dce";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(graph.outputs());
        List<Node> kept = new ArrayList<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                kept.add(n);
                live.addAll(n.inputs());
            }
        }
        if (kept.size() == nodes.size()) {
            return graph;
        }
        Collections.reverse(kept);
        return new Graph(graph.name(), graph.inputs(), graph.outputs(), kept);
    }
}
