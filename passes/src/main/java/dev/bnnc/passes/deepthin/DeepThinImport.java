package dev.bnnc.passes.deepthin;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Transpose;
import dev.bnnc.passes.GraphRewriter;
import dev.bnnc.passes.Pass;
import dev.bnnc.passes.PassContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps DeepThin-factored weights factored. A model trained with DeepThin computes its weight in
 * the graph, as PyTorch exports it with constant folding off: constant factors → MatMul →
 * Reshape (flatten) → Slice (the first K·N values) → Reshape → possibly Transpose → the weight of a
 * MatMul or Gemm. Constant folding would multiply that out into a dense weight; this pass, which
 * runs before it, turns the layer into a {@link FactoredDense} reading the two factors instead.
 * Gemm's alpha and C stay as a Mul and an Add after it (fold-bias takes a per-column C into the
 * bias).
 *
 * <p>Expects static shapes (after infer-shapes). Matches a chain only where each of its values
 * feeds the next node alone. With {@link ImportMode#AUTO} a layer stays factored only when its
 * factors hold fewer parameters than its weight; every match leaves a remark.
 */
public final class DeepThinImport implements Pass {
    private final ImportMode mode;

    public DeepThinImport(ImportMode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return "deepthin-import";
    }

    /** A factored layer: the consumer's input, the factors, the op, and the nodes it absorbs. */
    private record Match(Value x, Value xf, Value wf, FactoredDense op, List<Node> chain, Gemm gemm) {}

    @Override
    public Graph run(Graph graph, PassContext context) {
        if (mode == ImportMode.FOLD) {
            return graph;
        }
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Match> matches = new IdentityHashMap<>();
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : graph.nodes()) {
            Optional<Match> m = match(rw, n);
            if (m.isEmpty()) {
                continue;
            }
            long factors = (long) m.get().xf().type().size() + m.get().wf().type().size();
            long weights = (long) m.get().op().inFeatures() * m.get().op().outFeatures();
            if (mode == ImportMode.AUTO && factors >= weights) {
                context.remark(n.name(), "DeepThin weight multiplied out: its factors hold " + factors
                        + " parameters, not fewer than its " + weights + " weights");
                continue;
            }
            context.remark(n.name(), "DeepThin weight kept factored: " + m.get().xf().type() + " · " + m.get().wf().type()
                    + ", " + factors + " parameters for " + weights + " weights");
            matches.put(n, m.get());
            absorbed.addAll(m.get().chain());
        }
        for (Node n : graph.nodes()) {
            Match m = matches.get(n);
            if (m != null) {
                emit(rw, n, m);
            } else if (!absorbed.contains(n)) {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private static Optional<Match> match(GraphRewriter rw, Node n) {
        boolean transposed;
        Gemm gemm = null;
        if (n.op() instanceof MatMul && n.input(0).type().rank() >= 1) {
            transposed = false;
        } else if (n.op() instanceof Gemm g && !g.transA()) {
            transposed = g.transB();
            gemm = g;
        } else {
            return Optional.empty();
        }
        List<Node> chain = new ArrayList<>();
        Optional<Node> p = rw.soleProducer(n, 1);
        if (p.isPresent() && p.get().op() instanceof Transpose t && t.perm().equals(List.of(1, 0))) {
            transposed = !transposed;
            chain.add(p.get());
            p = rw.soleProducer(p.get(), 0);
        }
        Value matrix = chain.isEmpty() ? n.input(1) : chain.get(0).input(0);
        if (matrix.type().rank() != 2) {
            return Optional.empty();
        }
        // Back through the flatten, the cut and the reshape: each keeps a prefix of P's row-major order.
        while (p.isPresent() && (p.get().op() instanceof Reshape || p.get().op() instanceof Slice s && isPrefix(s, p.get()))) {
            chain.add(p.get());
            p = rw.soleProducer(p.get(), 0);
        }
        if (p.isEmpty() || !(p.get().op() instanceof MatMul) || chain.isEmpty() || chain.get(chain.size() - 1).op() instanceof Transpose) {
            return Optional.empty();
        }
        Node product = p.get();
        Value xf = product.input(0);
        Value wf = product.input(1);
        if (xf.type().rank() != 2 || wf.type().rank() != 2 || rw.constantOf(xf).isEmpty() || rw.constantOf(wf).isEmpty()) {
            return Optional.empty();
        }
        chain.add(product);
        int rows = matrix.type().dim(0);
        int cols = matrix.type().dim(1);
        FactoredDense op = transposed ? new FactoredDense(cols, rows, true) : new FactoredDense(rows, cols, false);
        if (n.input(0).type().dim(n.input(0).type().rank() - 1) != op.inFeatures()) {
            return Optional.empty();
        }
        return Optional.of(new Match(n.input(0), xf, wf, op, chain, gemm));
    }

    /**
     * Whether a slice keeps a prefix of its input in row-major order: one axis cut to its first
     * values, every axis before it of length 1 and every axis after it whole.
     */
    private static boolean isPrefix(Slice s, Node node) {
        Shape in = node.input(0).shape();
        int cut = -1;
        for (int a = 0; a < in.rank(); a++) {
            boolean whole = s.starts().get(a) == 0 && s.steps().get(a) == 1 && s.sizes().get(a) == in.dim(a);
            if (whole) {
                continue;
            }
            if (cut >= 0 || s.starts().get(a) != 0 || s.steps().get(a) != 1) {
                return false;
            }
            cut = a;
        }
        for (int a = 0; a < cut; a++) {
            if (in.dim(a) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The layer takes the consumer's name; Gemm's alpha and C follow it as a Mul and an Add, the
     * last of which defines the consumer's output value.
     */
    private static void emit(GraphRewriter rw, Node n, Match m) {
        List<Value> in = List.of(rw.map(m.x()), rw.map(m.xf()), rw.map(m.wf()));
        Gemm g = m.gemm();
        boolean scaled = g != null && g.alpha() != 1f;
        Value c = g != null && n.inputs().size() > 2 ? rw.map(n.input(2)) : null;
        if (!scaled && c == null) {
            rw.replace(n, m.op(), in);
            return;
        }
        Value y = new Value(n.output().name() + "_factored", n.output().type());
        rw.add(new Node(n.name(), m.op(), in, List.of(y)));
        List<Node> epilogue = new ArrayList<>();
        if (scaled) {
            Value alpha = rw.constant(n.name() + "_alpha_value", Tensor.scalar(g.alpha()));
            Value scaledY = c == null ? n.output() : new Value(n.output().name() + "_scaled", n.output().type());
            epilogue.add(new Node(n.name() + "_alpha", new Binary(BinaryFn.MUL), List.of(y, alpha), List.of(scaledY)));
            y = scaledY;
        }
        if (c != null) {
            if (g.beta() != 1f) {
                c = rw.add(n.name() + "_beta", new Binary(BinaryFn.MUL), c, rw.constant(n.name() + "_beta_value", Tensor.scalar(g.beta())));
            }
            epilogue.add(new Node(n.name() + "_c", new Binary(BinaryFn.ADD), List.of(y, c), n.outputs()));
        }
        epilogue.forEach(rw::add);
    }
}
