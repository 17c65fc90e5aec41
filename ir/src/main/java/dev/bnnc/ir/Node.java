package dev.bnnc.ir;

import dev.bnnc.ir.ops.Op;
import java.util.List;
import java.util.Objects;

/** One operation in a graph: an op applied to input values, defining its output values. */
public final class Node {
    private final String name;
    private final Op op;
    private final List<Value> inputs;
    private final List<Value> outputs;

    public Node(String name, Op op, List<Value> inputs, List<Value> outputs) {
        this.name = Objects.requireNonNull(name, "name");
        this.op = Objects.requireNonNull(op, "op");
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public Value input(int i) {
        return inputs.get(i);
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** The single output of a one-output node. */
    public Value output() {
        if (outputs.size() != 1) {
            throw new IrException("node " + name + " has " + outputs.size() + " outputs");
        }
        return outputs.get(0);
    }

    @Override
    public String toString() {
        return name + " = " + op.opName() + inputs.stream().map(v -> "%" + v.name()).toList();
    }
}
