package dev.bnnc.passes.plan;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Unary;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which element-wise nodes run in the epilogue of the layer before them: a layer that writes one
 * float per output element with its channel at hand (a convolution, a binary layer with floats
 * out) applies the chain of element-wise nodes that alone consume its output, such as a D-FSMN
 * block's BatchNorm-PReLU-residual add, before it stores, so the intermediate tensors are never
 * written. A node joins the chain if its other operand is a scalar or per-channel constant, or a
 * tensor of the same shape computed before the layer.
 */
public final class EpilogueFusion {
    private EpilogueFusion() {}

    /** Whether the kernels of {@code n} apply an epilogue chain to each element they write. */
    public static boolean acceptsTail(Node n) {
        return n.op() instanceof Conv || n.op() instanceof BinaryLayerOp b && b.output() == BinaryOutput.AFFINE;
    }

    /** The channel axis of an accepting node's output. */
    public static int channelAxis(Node n) {
        return n.op() instanceof BinaryLayerOp b ? b.channelAxis(n.outputs().get(0).type().rank()) : 1;
    }

    /** How an element-wise node's other operand is read, given the element's flat index and channel. */
    public enum Operand {
        /** No other operand. */
        NONE,
        /** One value for every element. */
        SCALAR,
        /** One value per channel: a vector (or a shape with ones but on the channel axis). */
        CHANNEL,
        /** A tensor of the output's shape, at the same flat index. */
        ELEMENT
    }

    /** For each accepting node, the element-wise nodes fused after it, in order. */
    static Map<Node, List<Node>> tails(Graph graph) {
        Map<Node, Integer> order = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            order.put(n, order.size());
        }
        Map<Node, List<Node>> tails = new IdentityHashMap<>();
        for (Node layer : graph.nodes()) {
            if (!acceptsTail(layer)) {
                continue;
            }
            List<Node> tail = new ArrayList<>();
            Value v = layer.outputs().get(0);
            for (Optional<Node> next = next(graph, layer, v, order); next.isPresent(); next = next(graph, layer, v, order)) {
                tail.add(next.get());
                v = next.get().output();
            }
            if (!tail.isEmpty()) {
                tails.put(layer, List.copyOf(tail));
            }
        }
        return tails;
    }

    /** The node that can join the chain of {@code layer} whose value so far is {@code v}, if any. */
    private static Optional<Node> next(Graph graph, Node layer, Value v, Map<Node, Integer> order) {
        List<Node> users = graph.users(v);
        if (users.size() != 1 || graph.outputs().contains(v)) {
            return Optional.empty();
        }
        Node e = users.get(0);
        if (e.outputs().size() != 1 || !e.output().type().equals(v.type()) || e.inputs().stream().filter(i -> i == v).count() != 1) {
            return Optional.empty();
        }
        int axis = channelAxis(layer);
        Op op = e.op();
        boolean ok;
        if (op instanceof Unary || op instanceof LeakyRelu || op instanceof Elu || op instanceof Selu || op instanceof Clip) {
            ok = true;
        } else if (op instanceof ChannelAffine ca) {
            ok = ca.axis() == axis && e.input(0) == v && isConstant(graph, e.input(1)) && isConstant(graph, e.input(2));
        } else if (op instanceof Binary b) {
            Value other = e.input(0) == v ? e.input(1) : e.input(0);
            Operand kind = operand(v.type().shape(), other.type().shape(), axis);
            ok = other.type().dtype() == DType.F32 && (b.fn() != BinaryFn.PRELU || e.input(0) == v)
                    && kind != Operand.NONE && (isConstant(graph, other) || computedBefore(graph, other, layer, order));
        } else {
            ok = false;
        }
        return ok ? Optional.of(e) : Optional.empty();
    }

    private static boolean isConstant(Graph graph, Value v) {
        return graph.constant(v).isPresent();
    }

    /** Whether {@code v} is a graph input or computed by a node before {@code layer}. */
    private static boolean computedBefore(Graph graph, Value v, Node layer, Map<Node, Integer> order) {
        return graph.producer(v).map(p -> order.get(p) < order.get(layer)).orElse(true);
    }

    /**
     * How an operand of shape {@code other} broadcasts against the chain's {@code shape}: everywhere
     * the same, along the channel axis only, element for element, or otherwise ({@link Operand#NONE}:
     * not fusable).
     */
    public static Operand operand(Shape shape, Shape other, int axis) {
        if (other.equals(shape)) {
            return Operand.ELEMENT;
        }
        if (other.size() == 1) {
            return Operand.SCALAR;
        }
        if (other.rank() > shape.rank()) {
            return Operand.NONE;
        }
        int offset = shape.rank() - other.rank();
        for (int i = 0; i < other.rank(); i++) {
            int a = i + offset;
            int expected = a == axis ? shape.dim(axis) : 1;
            if (other.dim(i) != expected) {
                return Operand.NONE;
            }
        }
        return axis >= offset ? Operand.CHANNEL : Operand.NONE;
    }
}
