package dev.bnnc.passes.tba;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import java.util.List;

/** One block of a thinnable backbone: its run-time nodes, the value it reads and the one it defines. */
public record Block(Value input, Value output, List<Node> nodes) {
    public Block {
        nodes = List.copyOf(nodes);
    }

    public String firstNode() {
        return nodes.get(0).name();
    }

    public String lastNode() {
        return nodes.get(nodes.size() - 1).name();
    }
}
