package dev.bnnc.ir.text;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.text.IrTextParser.AttributeContext;
import dev.bnnc.ir.text.IrTextParser.AttributesContext;
import dev.bnnc.ir.text.IrTextParser.GraphContext;
import dev.bnnc.ir.text.IrTextParser.NodeContext;
import dev.bnnc.ir.text.IrTextParser.ParamContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds a graph from a parse tree through {@link GraphBuilder}, checking what the grammar cannot:
 * names defined once and before use, ops and attributes that exist, and result types that match
 * the op's type inference. Every error names its line and column.
 */
final class GraphReader {
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Token> valueDefinitions = new HashMap<>();
    private final Map<String, Token> nodeDefinitions = new HashMap<>();
    private final GraphBuilder builder;

    private GraphReader(GraphBuilder builder) {
        this.builder = builder;
    }

    static Graph read(GraphContext ctx) {
        return new GraphReader(new GraphBuilder(Names.fromToken(ctx.graphName().getText()))).graph(ctx);
    }

    private Graph graph(GraphContext ctx) {
        for (ParamContext p : ctx.param()) {
            String name = defineValue(p.VALUE());
            values.put(name, builder.input(name, LiteralReader.type(p.type())));
        }
        for (NodeContext n : ctx.node()) {
            node(n);
        }
        for (TerminalNode out : ctx.VALUE()) {
            builder.output(use(out));
        }
        try {
            return builder.build();
        } catch (IrException e) {
            throw IrSyntaxException.at(ctx.getStart(), e.getMessage());
        }
    }

    private void node(NodeContext ctx) {
        Token opToken = ctx.IDENT().getSymbol();
        OpSchema schema = OpSchema.named(opToken.getText()).orElseThrow(() -> IrSyntaxException.at(opToken,
                "unknown op '" + opToken.getText() + "' (known ops: " + OpSchema.knownNames() + ")"));
        Op op = op(schema, ctx.attributes(), opToken);
        List<Value> inputs = ctx.operands() == null ? List.of()
                : ctx.operands().VALUE().stream().map(this::use).toList();
        List<TensorType> inferred;
        try {
            inferred = op.inferTypes(inputs.stream().map(Value::type).toList());
        } catch (IrException e) {
            throw IrSyntaxException.at(opToken, op.opName() + ": " + e.getMessage());
        }
        List<TerminalNode> results = ctx.VALUE();
        if (results.size() != inferred.size()) {
            throw IrSyntaxException.at(ctx.getStart(), op.opName() + " defines " + inferred.size() + " results, "
                    + results.size() + " named");
        }
        if (ctx.type().size() != inferred.size()) {
            throw IrSyntaxException.at(ctx.type(0).getStart(), op.opName() + " defines " + inferred.size()
                    + " results, " + ctx.type().size() + " types given");
        }
        for (int i = 0; i < inferred.size(); i++) {
            TensorType annotated = LiteralReader.type(ctx.type(i));
            if (!annotated.equals(inferred.get(i))) {
                throw IrSyntaxException.at(ctx.type(i).getStart(), results.get(i).getText() + " is annotated "
                        + annotated + " but " + op.opName() + " gives " + inferred.get(i));
            }
        }
        List<String> resultNames = new ArrayList<>();
        for (TerminalNode r : results) {
            resultNames.add(defineValue(r));
        }
        String nodeName = defineNode(ctx.NODE() != null ? ctx.NODE() : results.get(0));
        Node node = builder.add(nodeName, op, inputs, resultNames);
        node.outputs().forEach(v -> values.put(v.name(), v));
    }

    /** The op that {@code schema} builds from these attributes, which must name each component once. */
    private static Op op(OpSchema schema, AttributesContext ctx, Token opToken) {
        List<OpSchema.Attribute> attributes = schema.attributes();
        Object[] args = new Object[attributes.size()];
        for (AttributeContext a : ctx == null ? List.<AttributeContext>of() : ctx.attribute()) {
            Token nameToken = a.IDENT().getSymbol();
            OpSchema.Attribute attribute = schema.attribute(nameToken.getText()).orElseThrow(() ->
                    IrSyntaxException.at(nameToken, schema.name() + " has no attribute '" + nameToken.getText() + "' ("
                            + (attributes.isEmpty() ? "it has none" : "it has " + names(attributes)) + ")"));
            int index = attributes.indexOf(attribute);
            if (args[index] != null) {
                throw IrSyntaxException.at(nameToken, "attribute '" + attribute.name() + "' is given twice");
            }
            args[index] = LiteralReader.attribute(schema.name(), attribute, a.attributeValue());
        }
        List<OpSchema.Attribute> missing = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                missing.add(attributes.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw IrSyntaxException.at(opToken, schema.name() + " is missing attribute"
                    + (missing.size() > 1 ? "s " : " ") + names(missing));
        }
        try {
            return schema.create(args);
        } catch (IrException e) {
            throw IrSyntaxException.at(opToken, schema.name() + ": " + e.getMessage());
        }
    }

    private static String names(List<OpSchema.Attribute> attributes) {
        StringJoiner j = new StringJoiner(", ");
        attributes.forEach(a -> j.add(a.name()));
        return j.toString();
    }

    /** The value name {@code t} defines, which must be new. */
    private String defineValue(TerminalNode t) {
        String name = Names.fromToken(t.getText());
        return define(t.getSymbol(), name, "value " + Names.value(name), valueDefinitions);
    }

    /** The node name {@code t} (a NODE token, or the first result naming the node) defines, which must be new. */
    private String defineNode(TerminalNode t) {
        String name = Names.fromToken(t.getText());
        return define(t.getSymbol(), name, "node " + Names.node(name), nodeDefinitions);
    }

    private static String define(Token token, String name, String what, Map<String, Token> definitions) {
        if (name.isEmpty()) {
            throw IrSyntaxException.at(token, "names must not be empty");
        }
        Token previous = definitions.putIfAbsent(name, token);
        if (previous != null) {
            throw IrSyntaxException.at(token, what + " is already defined at " + previous.getLine() + ":"
                    + (previous.getCharPositionInLine() + 1));
        }
        return name;
    }

    private Value use(TerminalNode t) {
        Value v = values.get(Names.fromToken(t.getText()));
        if (v == null) {
            throw IrSyntaxException.at(t.getSymbol(), "value " + t.getText() + " is not defined");
        }
        return v;
    }
}
