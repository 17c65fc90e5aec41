package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Op;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one import, as converters see it: which IR value each ONNX name stands for, the
 * opset versions, and constants.
 *
 * <p>Constants come in two kinds. Initializers and the outputs of {@code Constant}, {@code Shape}
 * and similar nodes are <em>defined</em> constants: they enter the graph as a {@link Constant} node
 * only when a node reads them as a tensor, so a shape vector that only feeds a Reshape's target
 * leaves nothing behind. Values computed by ordinary nodes from constants stay in the graph (a weight
 * subgraph such as {@code Sign(W - mean(W))} is the constant-folding pass's job, and factored weights
 * must stay factored); when a converter needs one as an attribute (a Reshape target computed by
 * {@code Shape -> Gather -> Unsqueeze -> Concat}), it is evaluated then with the IR interpreter and
 * memoized.
 */
public final class ImportContext {
    private final GraphBuilder graph;
    private final Map<String, Integer> opsets;
    private final Path baseDir;
    /** ONNX names of every value and node in the model: names for helper nodes avoid them. */
    private final Set<String> modelNames;
    private final Set<String> issuedNames = new HashSet<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, DefinedConstant> definedConstants = new HashMap<>();
    private final Map<Value, Node> producers = new IdentityHashMap<>();
    /** Values computed from a graph input: never constant. */
    private final Set<Value> dynamic = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Value, Tensor> folded = new IdentityHashMap<>();

    ImportContext(GraphBuilder graph, Map<String, Integer> opsets, Path baseDir, Set<String> modelNames) {
        this.graph = graph;
        this.opsets = Map.copyOf(opsets);
        this.baseDir = baseDir;
        this.modelNames = Set.copyOf(modelNames);
    }

    /** The model's opset version for the default ONNX domain. */
    public int opset() {
        return opset(OnnxDomains.DEFAULT);
    }

    /** The model's opset version for {@code domain}, 0 if the model does not import it. */
    public int opset(String domain) {
        return opsets.getOrDefault(OnnxDomains.normalize(domain), 0);
    }

    // ---- reading inputs ----

    /** The IR value of the node's input {@code i}, which must be given. */
    public Value input(OnnxNode node, int i) {
        if (!node.hasInput(i)) {
            throw node.error("input " + i + " is required");
        }
        return valueOf(node, node.inputName(i));
    }

    /** The values of all given inputs, for variadic ops. */
    public List<Value> inputs(OnnxNode node) {
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < node.inputCount(); i++) {
            if (node.hasInput(i)) {
                in.add(input(node, i));
            }
        }
        return in;
    }

    /** The type of the node's input {@code i}, without bringing a defined constant into the graph. */
    public TensorType inputType(OnnxNode node, int i) {
        if (!node.hasInput(i)) {
            throw node.error("input " + i + " is required");
        }
        DefinedConstant c = definedConstants.get(node.inputName(i));
        return c != null ? c.tensor().type() : valueOf(node, node.inputName(i)).type();
    }

    /**
     * The tensor of input {@code i}, which the IR needs as an attribute (a shape, axes, pads):
     * an initializer, a constant, or computed from constants only. {@code role} names it in errors.
     */
    public Tensor constantInput(OnnxNode node, int i, String role) {
        if (!node.hasInput(i)) {
            throw node.error("input " + i + " (" + role + ") is required");
        }
        String name = node.inputName(i);
        DefinedConstant c = definedConstants.get(name);
        if (c != null) {
            return c.tensor();
        }
        Value v = valueOf(node, name);
        return constantValue(v).orElseThrow(() -> node.error("input " + i + " ('" + name + "', the " + role
                + ") must be a constant, but it is computed from a graph input"));
    }

    public Optional<Tensor> optionalConstantInput(OnnxNode node, int i, String role) {
        return node.hasInput(i) ? Optional.of(constantInput(node, i, role)) : Optional.empty();
    }

    /** The value of {@code v} if it depends on constants only, evaluated once with the interpreter. */
    private Optional<Tensor> constantValue(Value v) {
        if (dynamic.contains(v)) {
            return Optional.empty();
        }
        // Post-order walk over the (constant) producers, without recursion: chains can be long.
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(producers.get(v));
        while (!pending.isEmpty()) {
            Node n = pending.peek();
            if (folded.containsKey(n.outputs().get(0))) {
                pending.pop();
                continue;
            }
            List<Tensor> args = new ArrayList<>();
            for (Value in : n.inputs()) {
                Tensor t = folded.get(in);
                if (t == null) {
                    pending.push(producers.get(in));
                }
                args.add(t);
            }
            if (args.contains(null)) {
                continue;
            }
            pending.pop();
            List<Tensor> results;
            try {
                results = Interpreter.evaluate(n.op(), args);
            } catch (IrException | ArithmeticException e) {
                throw new ImportException("evaluating constant node '" + n.name() + "' (" + n.op().opName()
                        + "): " + e.getMessage(), e);
            }
            for (int k = 0; k < results.size(); k++) {
                folded.put(n.outputs().get(k), results.get(k));
            }
        }
        return Optional.of(folded.get(v));
    }

    // ---- emitting IR ----

    /** Adds an IR node for {@code node}, named after it, its single output bound to the node's first output. */
    public Value emit(OnnxNode node, Op op, Value... in) {
        return emitAll(node, op, List.of(in)).get(0);
    }

    /**
     * Adds an IR node for {@code node} whose outputs are bound, in order, to the node's outputs
     * (an output the model omits gets a fresh name).
     */
    public List<Value> emitAll(OnnxNode node, Op op, List<Value> in) {
        int count = checkTypes(node, op, in).size();
        List<String> names = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            names.add(node.hasOutput(k) ? node.outputName(k) : freshName(node.name() + "/out" + k));
        }
        for (int k = 0; k < count; k++) {
            requireUndefined(node, k);
        }
        Node n = add(node.name(), op, in, names);
        for (int k = 0; k < count; k++) {
            if (node.hasOutput(k)) {
                values.put(node.outputName(k), n.outputs().get(k));
            }
        }
        return n.outputs();
    }

    /**
     * Adds a helper IR node for one step of a multi-node conversion, named {@code <node>/<step>}; its
     * output is not bound to an ONNX name.
     */
    public Value emitStep(OnnxNode node, String step, Op op, Value... in) {
        List<Value> inputs = List.of(in);
        checkTypes(node, op, inputs);
        String name = freshName(node.name() + "/" + step);
        return add(name, op, inputs, List.of(name)).outputs().get(0);
    }

    /** Adds a helper {@link Constant} node for a conversion step, e.g. the divisor of Mean. */
    public Value emitConstant(OnnxNode node, String step, Tensor tensor) {
        return emitStep(node, step, new Constant(tensor));
    }

    /** Binds the node's output {@code k} to a constant (Shape, Size, ConstantOfShape, Constant). */
    public void defineConstant(OnnxNode node, int k, Tensor tensor) {
        requireUndefined(node, k);
        if (node.hasOutput(k)) {
            definedConstants.put(node.outputName(k), DefinedConstant.of(node.name(), tensor));
        }
    }

    // ---- for the importer ----

    void defineInitializer(TensorProto proto) {
        definedConstants.put(proto.getName(), DefinedConstant.lazy(proto.getName(), proto, baseDir));
    }

    Value defineInput(String name, TensorType type) {
        Value v = graph.input(name, type);
        values.put(name, v);
        dynamic.add(v);
        return v;
    }

    /** Whether an ONNX name is bound, as a value or a defined constant. */
    boolean isDefined(String name) {
        return values.containsKey(name) || definedConstants.containsKey(name);
    }

    /** The IR value of a name, bringing a defined constant into the graph on first use. */
    Value value(String name) {
        Value v = values.get(name);
        if (v != null) {
            return v;
        }
        DefinedConstant c = definedConstants.get(name);
        if (c == null) {
            return null;
        }
        Tensor t = c.tensor();
        v = add(c.nodeName(), new Constant(t), List.of(), List.of(name)).outputs().get(0);
        values.put(name, v);
        return v;
    }

    private Value valueOf(OnnxNode node, String name) {
        Value v = value(name);
        if (v == null) {
            throw node.error("input '" + name + "' is not defined by an earlier node, an initializer or a graph input");
        }
        return v;
    }

    /** ONNX graphs are SSA: a name defined twice is a malformed model. */
    private void requireUndefined(OnnxNode node, int k) {
        if (node.hasOutput(k) && isDefined(node.outputName(k))) {
            throw node.error("output '" + node.outputName(k) + "' is already defined earlier in the graph");
        }
    }

    private Node add(String nodeName, Op op, List<Value> in, List<String> outputNames) {
        Node n = graph.add(nodeName, op, in, outputNames);
        boolean fromInput = in.stream().anyMatch(dynamic::contains);
        for (Value out : n.outputs()) {
            producers.put(out, n);
            if (fromInput) {
                dynamic.add(out);
            }
        }
        if (op instanceof Constant c) {
            folded.put(n.outputs().get(0), c.value());
        }
        return n;
    }

    /** The op's output types, or an error naming the node when its inputs do not fit. */
    private static List<TensorType> checkTypes(OnnxNode node, Op op, List<Value> in) {
        try {
            return op.inferTypes(in.stream().map(Value::type).toList());
        } catch (IrException e) {
            throw node.error(e.getMessage());
        }
    }

    /** {@code base}, or {@code base_1}, ..., avoiding the model's names and names issued before. */
    private String freshName(String base) {
        String candidate = base;
        for (int i = 1; modelNames.contains(candidate) || !issuedNames.add(candidate); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }

    /** A constant bound to an ONNX name; initializers are decoded on first use only. */
    private static final class DefinedConstant {
        private final String nodeName;
        private final TensorProto proto;
        private final Path baseDir;
        private Tensor tensor;

        private DefinedConstant(String nodeName, TensorProto proto, Path baseDir, Tensor tensor) {
            this.nodeName = nodeName;
            this.proto = proto;
            this.baseDir = baseDir;
            this.tensor = tensor;
        }

        static DefinedConstant of(String nodeName, Tensor tensor) {
            return new DefinedConstant(nodeName, null, null, tensor);
        }

        static DefinedConstant lazy(String nodeName, TensorProto proto, Path baseDir) {
            return new DefinedConstant(nodeName, proto, baseDir, null);
        }

        String nodeName() {
            return nodeName;
        }

        Tensor tensor() {
            if (tensor == null) {
                tensor = OnnxTensors.fromProto(proto, baseDir);
            }
            return tensor;
        }
    }
}
