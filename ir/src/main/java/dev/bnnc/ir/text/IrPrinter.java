package dev.bnnc.ir.text;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Prints a graph in the text form that {@link IrParser} reads (grammar: {@code IrText.g4}).
 *
 * <p>The output is deterministic: nodes in graph order, attributes in record declaration order,
 * floats as {@link Float#toString} spells them (which parses back to the same bits). A node's
 * {@code @name} is printed only when it differs from its first result's name.
 */
public final class IrPrinter {
    /** Elision threshold that prints every tensor in full. */
    public static final int NO_ELISION = Integer.MAX_VALUE;

    private final Appendable out;
    private final int elideAbove;

    private IrPrinter(Appendable out, int elideAbove) {
        this.out = out;
        this.elideAbove = elideAbove;
    }

    /** The full text of {@code graph}, which {@link IrParser#parse} turns back into an equal graph. */
    public static String print(Graph graph) {
        return print(graph, NO_ELISION);
    }

    /**
     * The text of {@code graph} with tensors of more than {@code elideAbove} elements shown as
     * {@code <elided N values>}: for people reading it, not for parsing.
     */
    public static String print(Graph graph, int elideAbove) {
        StringBuilder sb = new StringBuilder();
        try {
            write(graph, elideAbove, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /** Writes the text of {@code graph} to {@code out}, as {@link #print(Graph, int)} returns it. */
    public static void write(Graph graph, int elideAbove, Appendable out) throws IOException {
        if (elideAbove < 0) {
            throw new IllegalArgumentException("elideAbove must be non-negative, got " + elideAbove);
        }
        new IrPrinter(out, elideAbove).graph(graph);
    }

    private void graph(Graph g) throws IOException {
        out.append("graph ").append(Names.graph(g.name())).append('(');
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            out.append(i > 0 ? ", " : "").append(Names.value(v.name())).append(": ");
            type(v.type());
        }
        out.append(") -> (");
        values(g.outputs());
        out.append(") {\n");
        for (Node n : g.nodes()) {
            node(n);
        }
        out.append("}\n");
    }

    private void node(Node n) throws IOException {
        out.append("  ");
        values(n.outputs());
        out.append(" = ").append(n.op().opName());
        if (!n.name().equals(n.outputs().get(0).name())) {
            out.append(' ').append(Names.node(n.name()));
        }
        attributes(n.op());
        if (!n.inputs().isEmpty()) {
            out.append(" (");
            values(n.inputs());
            out.append(')');
        }
        out.append(" : ");
        for (int i = 0; i < n.outputs().size(); i++) {
            out.append(i > 0 ? ", " : "");
            type(n.outputs().get(i).type());
        }
        out.append('\n');
    }

    private void attributes(Op op) throws IOException {
        OpSchema schema = OpSchema.of(op);
        List<OpSchema.Attribute> attributes = schema.attributes();
        if (attributes.isEmpty()) {
            return;
        }
        out.append(" {");
        for (int i = 0; i < attributes.size(); i++) {
            OpSchema.Attribute a = attributes.get(i);
            out.append(i > 0 ? ", " : "").append(a.name()).append(" = ");
            attributeValue(a.kind(), schema.get(op, a));
        }
        out.append('}');
    }

    private void attributeValue(AttributeKind kind, Object value) throws IOException {
        switch (kind) {
            case INT, FLOAT, BOOLEAN -> out.append(value.toString());
            case ENUM -> out.append(((Enum<?>) value).name());
            case ELEMENT_TYPE -> out.append(((DType) value).textName());
            case INT_LIST -> ints((List<?>) value);
            case TENSOR -> tensor((Tensor) value);
        }
    }

    private void ints(List<?> list) throws IOException {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            out.append(i > 0 ? "," : "").append(list.get(i).toString());
        }
        out.append(']');
    }

    private void tensor(Tensor t) throws IOException {
        out.append("dense<");
        type(t.type());
        out.append("> ");
        int n = t.size();
        if (n > elideAbove) {
            out.append("<elided ").append(Integer.toString(n)).append(" values>");
            return;
        }
        out.append('[');
        boolean floats = t.dtype() == DType.F32;
        for (int i = 0; i < n; i++) {
            out.append(i > 0 ? ", " : "");
            out.append(floats ? Float.toString(t.floatAt(i)) : Long.toString(t.longAt(i)));
        }
        out.append(']');
    }

    private void type(TensorType t) throws IOException {
        out.append(t.toString());
    }

    private void values(List<Value> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            out.append(i > 0 ? ", " : "").append(Names.value(values.get(i).name()));
        }
    }
}
