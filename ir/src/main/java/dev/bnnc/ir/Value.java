package dev.bnnc.ir;

import java.util.Objects;

/**
 * A tensor value in SSA form: defined once, by a graph input or a node output.
 *
 * <p>Values have identity semantics. A pass that keeps a value keeps the same object; the name is
 * for people (text form, error messages) and unique within a graph.
 */
public final class Value {
    private final String name;
    private final TensorType type;

    public Value(String name, TensorType type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public String name() {
        return name;
    }

    public TensorType type() {
        return type;
    }

    public Shape shape() {
        return type.shape();
    }

    @Override
    public String toString() {
        return "%" + name + ": " + type;
    }
}
