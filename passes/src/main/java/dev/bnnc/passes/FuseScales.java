package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryLayerOp;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds what follows a binary layer into its epilogue:
 * <ol>
 *   <li>per-channel affine ops (ChannelAffine, Mul/Div/Add/Sub by a per-channel constant) into its
 *       scale and bias;
 *   <li>the signs of its output (a {@link PackSigns}, also through a PReLU or LeakyReLU) into one
 *       integer threshold per channel, so that binary-to-binary chains stay in bits. The thresholds
 *       come from evaluating, for every dot product the layer can produce, exactly the float
 *       computation they replace ({@code sign(act(dot * s + b))}): the result is bit-exact with the
 *       unfused graph, including rounding and exact zeros. A channel whose sign falls as the dot
 *       product grows (negative scale) gets its weights flipped; a zero scale gives a constant
 *       channel; if some channel can produce an exact 0 (ONNX {@code Sign(0) = 0}), the output
 *       carries a zero mask.
 * </ol>
 */
public final class FuseScales implements Pass {
    @Override
    public String name() {
        return "fuse-scales";
    }

    @Override
    public Graph run(Graph graph, PassContext context) {
        Graph g = graph;
        for (Graph next = foldAffines(g); next != g; next = foldAffines(g)) {
            g = next;
        }
        return thresholds(g, context);
    }

    private static boolean isAffineLayer(Node n) {
        return n.op() instanceof BinaryLayerOp b && b.output() == BinaryOutput.AFFINE;
    }

    private static BinaryLayerOp op(Node layer) {
        return (BinaryLayerOp) layer.op();
    }

    private static int channelAxis(Node layer) {
        return op(layer).channelAxis(layer.outputs().get(0).type().rank());
    }

    /** Position of the scale among a binary layer's inputs (the bias follows). */
    private static int scaleInput(Node layer) {
        return op(layer).parameterInput();
    }

    private static List<TensorType> inputTypes(Node n) {
        return n.inputs().stream().map(Value::type).toList();
    }

    // ---- 1. affine successors ----

    /** One round of folding; returns the same graph when nothing folds. */
    private static Graph foldAffines(Graph graph) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Node> layerOf = new IdentityHashMap<>();
        Map<Node, float[][]> folded = new IdentityHashMap<>();
        for (Node q : graph.nodes()) {
            if (q.inputs().isEmpty()) {
                continue;
            }
            Optional<Node> layer = rw.soleProducer(q, 0).filter(FuseScales::isAffineLayer);
            if (layer.isPresent() && !layerOf.containsValue(layer.get())) {
                affineAfter(rw, layer.get(), q).ifPresent(sb -> {
                    layerOf.put(q, layer.get());
                    folded.put(q, sb);
                });
            }
        }
        if (layerOf.isEmpty()) {
            return graph;
        }
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        absorbed.addAll(layerOf.values());
        for (Node n : graph.nodes()) {
            Node layer = layerOf.get(n);
            if (layer != null) {
                float[][] sb = folded.get(n);
                List<Value> in = new ArrayList<>(rw.map(layer.inputs()));
                int at = scaleInput(layer);
                in.set(at, rw.constant(layer.name() + "_scale", Tensor.ofFloats(Shape.of(sb[0].length), sb[0])));
                in.set(at + 1, rw.constant(layer.name() + "_bias", Tensor.ofFloats(Shape.of(sb[1].length), sb[1])));
                rw.add(new Node(layer.name(), layer.op(), in, n.outputs()));
            } else if (!absorbed.contains(n)) {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    /** The scale and bias of {@code layer} with the per-channel affine op {@code q} folded in, if q is one. */
    private static Optional<float[][]> affineAfter(GraphRewriter rw, Node layer, Node q) {
        Value out = layer.outputs().get(0);
        if (!q.outputs().get(0).type().equals(out.type())) {
            return Optional.empty();
        }
        int axis = channelAxis(layer);
        int at = scaleInput(layer);
        float[] s = rw.constantOf(layer.input(at)).orElseThrow().toFloatArray();
        float[] b = rw.constantOf(layer.input(at + 1)).orElseThrow().toFloatArray();
        if (q.op() instanceof ChannelAffine ca && ca.axis() == axis) {
            Optional<Tensor> a = rw.constantOf(q.input(1));
            Optional<Tensor> t = rw.constantOf(q.input(2));
            if (a.isEmpty() || t.isEmpty()) {
                return Optional.empty();
            }
            for (int c = 0; c < s.length; c++) {
                s[c] *= a.get().floatAt(c);
                b[c] = b[c] * a.get().floatAt(c) + t.get().floatAt(c);
            }
            return Optional.of(new float[][] {s, b});
        }
        if (!(q.op() instanceof Binary bin) || q.input(0) != out && q.input(1) != out) {
            return Optional.empty();
        }
        boolean layerFirst = q.input(0) == out;
        Optional<float[]> c = rw.constantOf(q.input(layerFirst ? 1 : 0)).flatMap(t -> ConstantMath.perChannel(t, out.shape(), axis));
        if (c.isEmpty()) {
            return Optional.empty();
        }
        float[] k = c.get();
        for (int i = 0; i < s.length; i++) {
            switch (bin.fn()) {
                case ADD -> b[i] += k[i];
                case SUB -> {
                    if (layerFirst) {
                        b[i] -= k[i];
                    } else {
                        s[i] = -s[i];
                        b[i] = k[i] - b[i];
                    }
                }
                case MUL -> {
                    s[i] *= k[i];
                    b[i] *= k[i];
                }
                case DIV -> {
                    if (!layerFirst) {
                        return Optional.empty();
                    }
                    s[i] /= k[i];
                    b[i] /= k[i];
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new float[][] {s, b});
    }

    // ---- 2. thresholds ----

    /** A PackSigns whose signs come from a binary layer's affine output, through an optional activation. */
    private record Chain(Node layer, Node activation, Node pack) {}

    private static Graph thresholds(Graph graph, PassContext context) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Chain> chains = new IdentityHashMap<>();
        for (Node p : graph.nodes()) {
            if (p.op() instanceof PackSigns) {
                chain(rw, p).ifPresent(c -> chains.put(p, c));
            }
        }
        Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
        chains.values().forEach(c -> {
            absorbed.add(c.layer);
            if (c.activation != null) {
                absorbed.add(c.activation);
            }
        });
        Set<Value> droppedMasks = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : graph.nodes()) {
            Chain chain = chains.get(n);
            if (chain != null) {
                Optional<String> why = fuse(rw, chain, droppedMasks);
                if (why.isPresent()) {
                    context.remark(chain.layer.name(), "signs of the output kept in float: " + why.get());
                    rw.keep(chain.layer);
                    if (chain.activation != null) {
                        rw.keep(chain.activation);
                    }
                    rw.keep(n);
                }
            } else if (absorbed.contains(n)) {
                continue; // emitted with its PackSigns
            } else if (maskedInput(n) && droppedMasks.contains(n.input(1))) {
                List<Value> in = new ArrayList<>(rw.map(n.inputs()));
                in.remove(1);
                rw.replace(n, op(n).withoutMask(), in);
            } else {
                rw.keep(n);
            }
        }
        return rw.finish();
    }

    private static Optional<Chain> chain(GraphRewriter rw, Node pack) {
        Optional<Node> first = rw.soleProducer(pack, 0);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Node activation = null;
        Node layer = first.get();
        if (layer.op() instanceof LeakyRelu || layer.op() instanceof Binary b && b.fn() == BinaryFn.PRELU) {
            activation = layer;
            Optional<Node> l = rw.soleProducer(activation, 0);
            if (l.isEmpty()) {
                return Optional.empty();
            }
            layer = l.get();
        }
        PackSigns ps = (PackSigns) pack.op();
        if (!isAffineLayer(layer) || ps.axis() != channelAxis(layer)) {
            return Optional.empty();
        }
        return Optional.of(new Chain(layer, activation, pack));
    }

    /** Replaces the chain by the layer with a threshold epilogue writing the PackSigns' outputs; or says why not. */
    private static Optional<String> fuse(GraphRewriter rw, Chain chain, Set<Value> droppedMasks) {
        Node layer = chain.layer;
        PackSigns ps = (PackSigns) chain.pack.op();
        int at = scaleInput(layer);
        float[] s = rw.constantOf(layer.input(at)).orElseThrow().toFloatArray();
        float[] b = rw.constantOf(layer.input(at + 1)).orElseThrow().toFloatArray();
        int channels = s.length;
        float[] slope = null;
        if (chain.activation != null && chain.activation.op() instanceof Binary) {
            Optional<float[]> perChannel = rw.constantOf(chain.activation.input(1))
                    .flatMap(t -> ConstantMath.perChannel(t, layer.outputs().get(0).shape(), channelAxis(layer)));
            if (perChannel.isEmpty()) {
                return Optional.of("the PReLU slope is not a per-channel constant");
            }
            slope = perChannel.get();
        }
        int k = op(layer).maxDot(inputTypes(layer));
        long[] lo = new long[channels];
        long[] hi = new long[channels];
        boolean[] flip = new boolean[channels];
        boolean zeros = false;
        for (int c = 0; c < channels; c++) {
            int[] f = new int[2 * k + 1];
            for (int d = -k; d <= k; d++) {
                f[d + k] = signAfter(chain.activation, slope, c, (float) d * s[c] + b[c], ps.bipolar());
            }
            boolean up = monotone(f, 1);
            if (!up && !monotone(f, -1)) {
                return Optional.of("the sign of channel " + c + " is not monotone in the dot product");
            }
            flip[c] = !up;
            // With the weights flipped, the dot product is negated: walk it from -k upwards either way.
            lo[c] = k + 1;
            hi[c] = k + 1;
            for (int d = k; d >= -k; d--) {
                int v = f[(up ? d : -d) + k];
                if (v >= 0) {
                    lo[c] = d;
                }
                if (v > 0) {
                    hi[c] = d;
                }
            }
            zeros |= lo[c] < hi[c];
        }
        List<Value> in = new ArrayList<>(rw.map(layer.inputs().subList(0, at)));
        int weight = at - 1;
        in.set(weight, rw.constant(layer.input(weight).name() + "_flipped", flipped(rw.constantOf(layer.input(weight)).orElseThrow(), layer, flip)));
        if (zeros) {
            in.add(rw.constant(layer.name() + "_lo", Tensor.ofLongs(Shape.of(channels), lo)));
            in.add(rw.constant(layer.name() + "_hi", Tensor.ofLongs(Shape.of(channels), hi)));
        } else {
            Value threshold = rw.constant(layer.name() + "_threshold", Tensor.ofLongs(Shape.of(channels), hi));
            in.add(threshold);
            in.add(threshold);
        }
        BinaryOutput output = zeros ? BinaryOutput.SIGNS_WITH_ZEROS : BinaryOutput.SIGNS;
        List<Value> outs = new ArrayList<>(chain.pack.outputs());
        if (!zeros && outs.size() == 2) {
            droppedMasks.add(outs.remove(1));
        } else if (zeros && outs.size() == 1) {
            return Optional.of("its signs can be exactly 0 but its consumer reads BipolarQuant signs");
        }
        rw.add(new Node(layer.name(), op(layer).withOutput(output, ps.axis(), ps.groups()), in, outs));
        return Optional.empty();
    }

    /** The sign of one pre-activation value after the chain's activation, computed as the interpreter would. */
    private static int signAfter(Node activation, float[] slope, int c, float v, boolean bipolar) {
        float a = v;
        if (activation != null) {
            a = activation.op() instanceof LeakyRelu lr ? (float) lr.apply(v) : (float) BinaryFn.PRELU.apply(v, slope[c]);
        }
        if (bipolar) {
            return a >= 0 ? 1 : -1;
        }
        return a > 0 ? 1 : a < 0 ? -1 : 0;
    }

    private static boolean monotone(int[] f, int direction) {
        for (int i = 1; i < f.length; i++) {
            if ((f[i] - f[i - 1]) * direction < 0) {
                return false;
            }
        }
        return true;
    }

    /** The weight signs with the channels marked in {@code flip} negated (padding bits stay 0). */
    private static Tensor flipped(Tensor weight, Node layer, boolean[] flip) {
        long[] words = weight.toLongArray();
        int perChannel = words.length / flip.length;
        int perGroup = op(layer).weightGroupLength(inputTypes(layer));
        int wpg = weight.shape().dim(weight.shape().rank() - 1);
        for (int ch = 0; ch < flip.length; ch++) {
            if (flip[ch]) {
                for (int i = 0; i < perChannel; i++) {
                    words[ch * perChannel + i] ^= PackLayout.validBits(perGroup, i % wpg);
                }
            }
        }
        return Tensor.adoptBits(weight.shape(), words);
    }

    private static boolean maskedInput(Node n) {
        return n.op() instanceof BinaryLayerOp b && b.maskedInput();
    }
}
