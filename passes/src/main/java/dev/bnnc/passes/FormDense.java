package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Transpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives every fully connected layer one form: MatMul with a constant 2-D right operand becomes
 * {@link Dense} (a Transpose of a constant weight has already been folded, so Transpose + MatMul
 * lands here too), and Gemm becomes Dense when B is constant, with alpha folded into the weight and
 * a per-column C into the bias; otherwise a Transpose/MatMul/Mul/Add chain.
 * Guarantees: no Gemm remains.
 */
public final class FormDense implements Pass {
    @Override
    public String name() {
        return "form-dense";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (n.op() instanceof MatMul && isConstantMatrix(rw, n.input(1)) && n.input(0).type().rank() >= 1) {
                rw.replace(n, new Dense(), rw.map(n.inputs()));
            } else if (n.op() instanceof Gemm gemm) {
                lowerGemm(rw, n, gemm);
            } else {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private static boolean isConstantMatrix(GraphRewriter rw, Value v) {
        return v.type().rank() == 2 && rw.constantOf(v).isPresent();
    }

    private static void lowerGemm(GraphRewriter rw, Node n, Gemm g) {
        Value a = rw.map(n.input(0));
        Value b = rw.map(n.input(1));
        Value c = n.inputs().size() > 2 ? rw.map(n.input(2)) : null;
        if (g.transA()) {
            a = rw.add(n.name() + "_transA", new Transpose(List.of(1, 0)), a);
        }
        Optional<Tensor> bConst = rw.constantOf(b);
        if (bConst.isPresent()) {
            Value w = b;
            if (g.transB() || g.alpha() != 1f) {
                Tensor wt = g.transB() ? ConstantMath.transpose2d(bConst.get()) : bConst.get();
                w = rw.constant(b.name() + "_dense", g.alpha() != 1f ? ConstantMath.scale(wt, g.alpha()) : wt);
            }
            Optional<float[]> bias = c == null ? Optional.empty()
                    : rw.constantOf(c).flatMap(t -> ConstantMath.perChannel(t, n.output().shape(), 1));
            if (c == null || bias.isPresent()) {
                List<Value> in = new ArrayList<>(List.of(a, w));
                bias.ifPresent(v -> in.add(rw.constant(n.name() + "_bias", ConstantMath.vector(scaled(v, g.beta())))));
                rw.replace(n, new Dense(), in);
                return;
            }
            Value y = rw.add(n.name() + "_dense", new Dense(), a, w);
            rw.replace(n, new Binary(BinaryFn.ADD), List.of(y, scaledC(rw, n, c, g.beta())));
            return;
        }
        if (g.transB()) {
            b = rw.add(n.name() + "_transB", new Transpose(List.of(1, 0)), b);
        }
        boolean scaleProduct = g.alpha() != 1f;
        if (c == null && !scaleProduct) {
            rw.replace(n, new MatMul(), List.of(a, b));
            return;
        }
        Value y = rw.add(n.name() + "_matmul", new MatMul(), a, b);
        if (scaleProduct) {
            Value alpha = rw.constant(n.name() + "_alpha", Tensor.scalar(g.alpha()));
            if (c == null) {
                rw.replace(n, new Binary(BinaryFn.MUL), List.of(y, alpha));
                return;
            }
            y = rw.add(n.name() + "_scaled", new Binary(BinaryFn.MUL), y, alpha);
        }
        rw.replace(n, new Binary(BinaryFn.ADD), List.of(y, scaledC(rw, n, c, g.beta())));
    }

    /** {@code beta·C}: folded when C is constant, a Mul node otherwise. */
    private static Value scaledC(GraphRewriter rw, Node n, Value c, float beta) {
        if (beta == 1f) {
            return c;
        }
        Optional<Tensor> cc = rw.constantOf(c);
        if (cc.isPresent()) {
            return rw.constant(n.name() + "_c", ConstantMath.scale(cc.get(), beta));
        }
        return rw.add(n.name() + "_beta_c", new Binary(BinaryFn.MUL), c, rw.constant(n.name() + "_beta", Tensor.scalar(beta)));
    }

    private static float[] scaled(float[] v, float factor) {
        float[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= factor;
        }
        return r;
    }
}
