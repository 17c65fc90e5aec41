package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import dev.bnnc.passes.plan.EpilogueFusion;
import java.util.List;
import java.util.Optional;

/**
 * A binary layer's floats out on vectors of lanes, for the SIMD kernels of any instruction set
 * ({@link FloatVectors}): the affine map of the dot products, then the step's element-wise tail,
 * exactly as {@link ElementTail} computes each element, stored.
 */
final class LaneTail {
    /**
     * Which elements a vector's lanes are: consecutive output channels from {@code channel}
     * ({@code channels}) or elements of channel {@code channel}; lane j at logical flat index
     * {@code flat + j * stride}.
     */
    record Lanes(boolean channels, String channel, String flat, int stride) {
        /** Lanes {@code from} on, of the same kind. */
        Lanes from(int from) {
            return from == 0 ? this
                    : new Lanes(channels, channels ? channel + " + " + from : channel, flat + " + " + from * stride, stride);
        }
    }

    private final Node node;
    private final List<Node> tailNodes;
    private final StepEnv env;
    private final FloatVectors v;

    LaneTail(Node node, List<Node> tail, StepEnv env, FloatVectors v) {
        this.node = node;
        this.tailNodes = tail;
        this.env = env;
        this.v = v;
    }

    /** Whether every node of the tail has a vector form. */
    static boolean covers(List<Node> tail) {
        for (Node e : tail) {
            boolean ok = e.op() instanceof ChannelAffine || e.op() instanceof LeakyRelu
                    || e.op() instanceof Unary u && u.fn() == UnaryFn.RELU
                    || e.op() instanceof Binary b && (b.fn() == BinaryFn.ADD || b.fn() == BinaryFn.SUB
                    || b.fn() == BinaryFn.MUL || b.fn() == BinaryFn.DIV || b.fn() == BinaryFn.PRELU);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code name = dots * scale + bias} ({@code dots} a float vector of dot products, the
     * layer's parameters at input {@code params}), then the tail, and stores the result.
     */
    void affine(CodeWriter w, String name, String dots, int params, Lanes lanes) {
        w.line(v.type() + " " + name + " = " + v.add(v.mul(dots, perChannel(node.input(params), lanes)),
                perChannel(node.input(params + 1), lanes)) + ";");
        store(w, name, lanes);
    }

    /** The tail on vector {@code value}, stored. */
    void store(CodeWriter w, String value, Lanes lanes) {
        Value chain = node.outputs().get(0);
        String x = value;
        int i = 0;
        for (Node e : tailNodes) {
            String next = value + "_" + i++;
            w.line(v.type() + " " + next + " = " + expression(e, chain, x, lanes) + ";");
            x = next;
            chain = e.output();
        }
        Value out = tailNodes.isEmpty() ? node.outputs().get(0) : tailNodes.get(tailNodes.size() - 1).output();
        if (lanes.stride() == 1) {
            w.line(v.store(env.pointer(out, lanes.flat()), x));
        } else {
            v.scatter().stores(env.pointer(out, lanes.flat()), lanes.stride(), x).forEach(w::line);
        }
    }

    private String expression(Node e, Value chain, String x, Lanes lanes) {
        if (e.op() instanceof Unary) {
            return v.relu(x);
        }
        if (e.op() instanceof LeakyRelu l) {
            return prelu(x, v.dup(env.dialect().floatLiteral(l.alpha())), Optional.of(Tensor.scalar(l.alpha())));
        }
        if (e.op() instanceof ChannelAffine) {
            return v.add(v.mul(x, perChannel(e.input(1), lanes)), perChannel(e.input(2), lanes));
        }
        Binary b = (Binary) e.op();
        boolean chainFirst = e.input(0) == chain;
        String other = operand(chainFirst ? e.input(1) : e.input(0), chain, lanes);
        String a = chainFirst ? x : other;
        String c = chainFirst ? other : x;
        return switch (b.fn()) {
            case ADD -> v.add(a, c);
            case SUB -> v.sub(a, c);
            case MUL -> v.mul(a, c);
            case DIV -> v.div(a, c);
            case PRELU -> prelu(x, other, env.constant(e.input(1)));
            default -> throw new IllegalStateException("no vector form of " + b.fn());
        };
    }

    /**
     * PRelu of vector x: the larger (smaller) of x and its product where every slope is known to lie
     * in (0, 1] (above 1), as {@link Dialect#slopeWhereNegative(String, String, boolean)} explains;
     * one instruction fewer than the select by the sign bit.
     */
    private String prelu(String x, String slope, Optional<Tensor> slopes) {
        String product = v.mul(x, slope);
        return ElementwiseExpressions.slopeBound(slopes).map(atMostOne -> atMostOne ? v.max(x, product) : v.min(x, product))
                .orElseGet(() -> v.signSelect(x, product));
    }

    private String operand(Value other, Value chain, Lanes lanes) {
        return switch (EpilogueFusion.operand(chain.type().shape(), other.type().shape(), EpilogueFusion.channelAxis(node))) {
            case SCALAR -> v.dup(env.constant(other).map(t -> env.dialect().floatLiteral(t.floatAt(0))).orElse(env.at(other, "0")));
            case CHANNEL -> perChannel(other, lanes);
            case ELEMENT -> lanes.stride() == 1 ? v.load(env.pointer(other, lanes.flat())) : v.gather().apply(env.pointer(other, lanes.flat()), lanes.stride());
            case NONE -> throw new IllegalStateException("operand %" + other.name() + " cannot be fused");
        };
    }

    /** A per-channel float vector: the lanes' channels' entries, or one entry repeated. */
    private String perChannel(Value p, Lanes lanes) {
        return lanes.channels() ? v.load(env.pointer(p, lanes.channel())) : v.dup(env.at(p, lanes.channel()));
    }
}
