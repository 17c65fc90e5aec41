package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.passes.plan.EpilogueFusion;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The element-wise nodes a step applies to each element it computes before it stores (see
 * {@link EpilogueFusion}): each one's expression on a float local, exactly as its own kernel would
 * compute it, so fused and unfused code agree bit for bit.
 */
final class ElementTail {
    private final Node layer;
    private final List<Node> nodes;
    private final StepEnv env;
    private final ElementwiseExpressions fx;
    /** Per-channel operands read into locals by {@link #hoistChannel}. */
    private final Map<Value, String> hoisted = new IdentityHashMap<>();

    ElementTail(Node layer, List<Node> nodes, StepEnv env) {
        this.layer = layer;
        this.nodes = List.copyOf(nodes);
        this.env = env;
        this.fx = new ElementwiseExpressions(env.dialect());
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** The value the step stores: the last node's output, or the layer's own. */
    Value output() {
        return nodes.isEmpty() ? layer.outputs().get(0) : nodes.get(nodes.size() - 1).output();
    }

    /**
     * Reads the per-channel operands of channel {@code channel} into locals, for stores that follow
     * in a loop over that channel's elements: compilers may not move the loads out of the loop
     * themselves, as the loop's stores could alias the constant arrays (Java: all float[]).
     */
    void hoistChannel(CodeWriter w, String channel) {
        hoisted.clear();
        Value chain = layer.outputs().get(0);
        for (Node e : nodes) {
            for (Value v : e.inputs()) {
                boolean perChannel = v != chain && (e.op() instanceof ChannelAffine
                        || e.op() instanceof Binary && operandKind(v, chain) == EpilogueFusion.Operand.CHANNEL);
                if (perChannel && !hoisted.containsKey(v)) {
                    String local = "h" + hoisted.size();
                    w.line("float " + local + " = " + env.at(v, channel) + ";");
                    hoisted.put(v, local);
                }
            }
            chain = e.output();
        }
    }

    /**
     * Writes {@code output[flat] = tail(value)} for the element at logical flat index {@code flat}
     * (an expression) of channel {@code channel}, {@code value} a float expression.
     */
    void store(CodeWriter w, String value, String flat, String channel) {
        assign(w, value, env.at(output(), flat), flat, channel);
    }

    /** This tail on vectors of lanes of {@code v}, where every node of it has a vector form. */
    Optional<LaneTail> onLanes(FloatVectors v) {
        return LaneTail.covers(nodes) ? Optional.of(new LaneTail(layer, nodes, env, v)) : Optional.empty();
    }

    /** Whether some node of the tail reads another tensor element by element (a residual, say). */
    boolean readsElements() {
        Value chain = layer.outputs().get(0);
        for (Node e : nodes) {
            for (Value v : e.inputs()) {
                if (v != chain && e.op() instanceof Binary && operandKind(v, chain) == EpilogueFusion.Operand.ELEMENT) {
                    return true;
                }
            }
            chain = e.output();
        }
        return false;
    }

    /**
     * Writes {@code target = tail(value)}, {@code target} any float lvalue, for a tail that does not
     * {@link #readsElements read elements}.
     */
    void assign(CodeWriter w, String value, String target, String channel) {
        if (readsElements()) {
            throw new IllegalStateException("the tail of " + layer.name() + " reads elements: store it at its index");
        }
        assign(w, value, target, null, channel);
    }

    private void assign(CodeWriter w, String value, String target, String flat, String channel) {
        if (nodes.isEmpty()) {
            w.line(target + " = " + value + ";");
            return;
        }
        Value chain = layer.outputs().get(0);
        w.line("float e0 = " + value + ";");
        for (int i = 0; i < nodes.size(); i++) {
            Node e = nodes.get(i);
            String v = "e" + i;
            w.line("float e" + (i + 1) + " = " + expression(e, chain, v, flat, channel) + ";");
            chain = e.output();
        }
        w.line(target + " = e" + nodes.size() + ";");
    }

    private String expression(Node e, Value chain, String v, String flat, String channel) {
        if (e.op() instanceof Unary u) {
            return fx.unary(u.fn(), v);
        } else if (e.op() instanceof LeakyRelu l) {
            return fx.leakyRelu(l, v);
        } else if (e.op() instanceof Elu el) {
            return fx.elu(el, v);
        } else if (e.op() instanceof Selu se) {
            return fx.selu(se, v);
        } else if (e.op() instanceof Clip c) {
            return fx.clip(c, v);
        } else if (e.op() instanceof ChannelAffine) {
            return v + " * " + perChannel(e.input(1), channel) + " + " + perChannel(e.input(2), channel);
        } else if (e.op() instanceof Binary b) {
            boolean first = e.input(0) == chain;
            String other = operand(first ? e.input(1) : e.input(0), chain, flat, channel);
            return first ? fx.binary(b.fn(), v, other, env.constant(e.input(1))) : fx.binary(b.fn(), other, v);
        }
        throw new IllegalStateException("node " + e.name() + ": " + e.op().opName() + " cannot be fused");
    }

    /** The other operand of a binary node, for this element. */
    private String operand(Value other, Value chain, String flat, String channel) {
        return switch (operandKind(other, chain)) {
            case SCALAR -> env.constant(other).map(t -> "(" + env.dialect().floatLiteral(t.floatAt(0)) + ")").orElse(env.at(other, "0"));
            case CHANNEL -> perChannel(other, channel);
            case ELEMENT -> env.at(other, flat);
            case NONE -> throw new IllegalStateException("operand %" + other.name() + " cannot be fused");
        };
    }

    private EpilogueFusion.Operand operandKind(Value other, Value chain) {
        return EpilogueFusion.operand(chain.type().shape(), other.type().shape(), EpilogueFusion.channelAxis(layer));
    }

    /** A per-channel operand's value for channel {@code channel}: its hoisted local, or the element. */
    private String perChannel(Value v, String channel) {
        String local = hoisted.get(v);
        return local != null ? local : env.at(v, channel);
    }
}
