package dev.bnnc.passes;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.PackLayout;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns binarized layers into XNOR-popcount layers. A Conv or Dense is binarized when its input is
 * {@code Sign(x)} or {@code Bipolar(x)} (possibly times a scalar, as QONNX BipolarQuant imports, or
 * through a zero Pad, which becomes the convolution's padding) and its constant weight has one
 * magnitude per output channel ({@code |W[c,...]| = s_c}, relative tolerance 1e-5; s_c may be 0,
 * and the sign of a folded BatchNorm goes into the weight's signs). The layer becomes
 * {@link PackSigns} of x and a {@link BinaryConv} / {@link BinaryDense} with the affine
 * {@code dot * s_c * activationScale + bias_c}: the same values up to float rounding.
 *
 * <p>Expects canonical layers (run after fold-batchnorm). Leaves a remark for every layer it
 * binarizes and every one it does not, saying why. With {@link BinarizeMode#forces} it binarizes
 * chosen float layers post-training (Sign inserted on the input, {@code alpha_c = mean|W_c|}).
 */
public final class Binarize implements Pass {
    /** Relative tolerance for "one magnitude per output channel". */
    static final double MAGNITUDE_TOLERANCE = 1e-5;

    private final BinarizeMode mode;

    public Binarize(BinarizeMode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return "binarize";
    }

    /** Where a layer's signs come from. */
    private record Activation(Value source, boolean bipolar, float scale, List<Integer> extraPads) {}

    @Override
    public Graph run(Graph graph, PassContext context) {
        if (!mode.enabled()) {
            return graph;
        }
        List<Node> layers = graph.nodes().stream().filter(n -> n.op() instanceof Conv || n.op() instanceof Dense).toList();
        GraphRewriter rw = new GraphRewriter(graph);
        Map<List<Object>, List<Value>> packs = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof Conv || n.op() instanceof Dense)) {
                rw.keep(n);
                continue;
            }
            boolean forced = mode.forced().contains(n.name())
                    || mode.forceHidden() && n != layers.get(0) && n != layers.get(layers.size() - 1);
            Optional<String> why = binarize(rw, n, forced, packs, context);
            if (why.isPresent()) {
                context.remark(n.name(), "kept float: " + why.get());
                rw.keep(n);
            }
        }
        mode.forced().stream().filter(name -> graph.node(name).isEmpty()).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("--binarize force: no layer named '" + name + "'");
        });
        return rw.finish();
    }

    /** Binarizes layer {@code n}, or says why not. */
    private Optional<String> binarize(GraphRewriter rw, Node n, boolean forced, Map<List<Object>, List<Value>> packs,
                                      PassContext context) {
        boolean conv = n.op() instanceof Conv;
        Optional<Tensor> weight = rw.constantOf(n.input(1));
        if (weight.isEmpty()) {
            return Optional.of("its weight is computed at run time");
        }
        Optional<Tensor> bias = n.inputs().size() > 2 ? rw.constantOf(n.input(2)) : Optional.empty();
        if (n.inputs().size() > 2 && bias.isEmpty()) {
            return Optional.of("its bias is computed at run time");
        }
        int spatial = conv ? ((Conv) n.op()).spatialRank() : 0;
        Optional<Activation> act = activation(rw, n.input(0), conv, spatial);
        boolean signInserted = act.isEmpty();
        if (act.isEmpty()) {
            if (!forced) {
                return Optional.of("its input is not Sign(x) or BipolarQuant(x)");
            }
            act = Optional.of(new Activation(n.input(0), false, 1f, Collections.nCopies(2 * spatial, 0)));
        }
        Tensor w = weight.get();
        int outputs = conv ? w.shape().dim(0) : w.shape().dim(1);
        int perOutput = w.size() / outputs;
        float[] values = w.toFloatArray();
        float[] signs = new float[values.length];
        float[] scale = new float[outputs];
        for (int c = 0; c < outputs; c++) {
            double sum = 0;
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < perOutput; i++) {
                int at = conv ? c * perOutput + i : i * outputs + c;
                double a = Math.abs(values[at]);
                sum += a;
                max = Math.max(max, a);
                min = Math.min(min, a);
                signs[at] = values[at] < 0 ? -1 : 1;
            }
            if (!forced && max - min > MAGNITUDE_TOLERANCE * max) {
                return Optional.of("the weights of output channel " + c + " have different magnitudes (" + (float) min + " to "
                        + (float) max + "), so they are not binary");
            }
            scale[c] = (float) (sum / perOutput * act.get().scale());
            // Canonical signs: the channel's first weight is +1 and its sign goes into the scale,
            // so that weights differing only by a folded BatchNorm's sign (per-width BatchNorm in
            // thinnable models) pack to the same words and are stored once.
            int first = conv ? c * perOutput : c;
            if (signs[first] < 0) {
                for (int i = 0; i < perOutput; i++) {
                    int at = conv ? c * perOutput + i : i * outputs + c;
                    signs[at] = -signs[at];
                }
                scale[c] = -scale[c];
            }
        }
        float[] b = new float[outputs];
        bias.ifPresent(t -> {
            for (int c = 0; c < outputs; c++) {
                b[c] = t.floatAt(c);
            }
        });
        Activation a = act.get();
        Value source = rw.map(a.source());
        Op op;
        Tensor bits;
        List<Value> packed;
        if (conv && isDepthwise1d((Conv) n.op(), w)) {
            // Signs packed along time, one kernel word per channel: one popcount per output.
            Conv c = (Conv) n.op();
            int length = source.type().dim(2);
            int kernel = w.shape().dim(2);
            packed = pack(rw, packs, n, source, 2, 1, a.bipolar());
            op = new BinaryDepthwiseConv1d(length, kernel, c.strides().get(0), c.pads().get(0) + a.extraPads().get(0),
                    c.pads().get(1) + a.extraPads().get(1), c.dilations().get(0), !a.bipolar(), BinaryOutput.AFFINE, 0, 1);
            Shape logical = Shape.of(outputs, kernel);
            PackLayout weightLayout = new PackLayout(1, 1);
            bits = Tensor.adoptBits(weightLayout.packed(logical), weightLayout.pack(signs, logical, null));
        } else if (conv) {
            Conv c = (Conv) n.op();
            int channels = source.type().dim(1);
            packed = pack(rw, packs, n, source, 1, c.group(), a.bipolar());
            List<Integer> pads = new ArrayList<>(c.pads());
            for (int i = 0; i < pads.size(); i++) {
                pads.set(i, pads.get(i) + a.extraPads().get(i));
            }
            op = new BinaryConv(c.strides(), pads, c.dilations(), c.group(), channels, !a.bipolar(), BinaryOutput.AFFINE, 0, 1);
            PackLayout weightLayout = new PackLayout(1, 1);
            bits = Tensor.adoptBits(weightLayout.packed(w.shape()), weightLayout.pack(signs, w.shape(), null));
        } else {
            int k = w.shape().dim(0);
            packed = pack(rw, packs, n, source, source.type().rank() - 1, 1, a.bipolar());
            op = new BinaryDense(k, !a.bipolar(), BinaryOutput.AFFINE, 0, 1);
            // Rows per output: the transpose of the [K, N] weight.
            float[] rows = new float[signs.length];
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < outputs; c++) {
                    rows[c * k + i] = signs[i * outputs + c];
                }
            }
            Shape logical = Shape.of(outputs, k);
            PackLayout weightLayout = new PackLayout(1, 1);
            bits = Tensor.adoptBits(weightLayout.packed(logical), weightLayout.pack(rows, logical, null));
        }
        List<Value> inputs = new ArrayList<>(packed);
        inputs.add(rw.constant(n.input(1).name() + "_signs", bits));
        inputs.add(rw.constant(n.name() + "_scale", Tensor.ofFloats(Shape.of(outputs), scale)));
        inputs.add(rw.constant(n.name() + "_bias", Tensor.ofFloats(Shape.of(outputs), b)));
        rw.replace(n, op, inputs);
        context.remark(n.name(), signInserted
                ? "binarized post-training (--binarize force): Sign inserted, weights sign(W)*mean|W|; accuracy is not preserved"
                : "binarized: XNOR-popcount" + (forced ? " (--binarize force: weights sign(W)*mean|W|, accuracy is not preserved)" : ""));
        return Optional.empty();
    }

    /** A depthwise 1-D convolution (one input channel per output channel) with a kernel that fits a word. */
    private static boolean isDepthwise1d(Conv c, Tensor weight) {
        return c.spatialRank() == 1 && c.group() == weight.shape().dim(0) && weight.shape().dim(1) == 1
                && weight.shape().dim(2) < PackLayout.WORD;
    }

    /** The packed signs (and zero mask) of {@code source}, made once per layout. */
    private static List<Value> pack(GraphRewriter rw, Map<List<Object>, List<Value>> packs, Node layer, Value source, int axis,
                                    int groups, boolean bipolar) {
        return packs.computeIfAbsent(List.of(source, axis, groups, bipolar),
                key -> rw.addAll(layer.name() + "_signs", new PackSigns(axis, groups, bipolar), List.of(source)));
    }

    /**
     * The signs feeding a layer: Sign or Bipolar of some x, optionally times a scalar constant, and
     * for convolutions optionally through a constant-zero Pad of the spatial axes.
     */
    private static Optional<Activation> activation(GraphRewriter rw, Value input, boolean conv, int spatial) {
        Value v = input;
        List<Integer> extra = new ArrayList<>(Collections.nCopies(2 * spatial, 0));
        Optional<Node> p = rw.source().producer(v);
        if (conv && p.isPresent() && p.get().op() instanceof Pad pad && pad.mode() == PadMode.CONSTANT && pad.value() == 0f) {
            int rank = spatial + 2;
            List<Integer> pads = pad.pads();
            if (pads.get(0) != 0 || pads.get(1) != 0 || pads.get(rank) != 0 || pads.get(rank + 1) != 0
                    || pads.stream().anyMatch(x -> x < 0)) {
                return Optional.empty();
            }
            for (int i = 0; i < spatial; i++) {
                extra.set(i, pads.get(i + 2));
                extra.set(i + spatial, pads.get(rank + i + 2));
            }
            v = p.get().input(0);
            p = rw.source().producer(v);
        }
        float scale = 1f;
        if (p.isPresent() && p.get().op() instanceof Binary mul && mul.fn() == BinaryFn.MUL) {
            for (int side = 0; side < 2; side++) {
                Optional<Tensor> c = rw.constantOf(p.get().input(1 - side));
                Optional<Node> q = rw.source().producer(p.get().input(side));
                if (c.isPresent() && c.get().size() == 1 && q.isPresent() && isSign(q.get())) {
                    scale = c.get().floatAt(0);
                    p = q;
                    break;
                }
            }
        }
        if (p.isEmpty() || !isSign(p.get())) {
            return Optional.empty();
        }
        boolean bipolar = ((Unary) p.get().op()).fn() == UnaryFn.BIPOLAR;
        return Optional.of(new Activation(p.get().input(0), bipolar, scale, extra));
    }

    private static boolean isSign(Node n) {
        return n.op() instanceof Unary u && (u.fn() == UnaryFn.SIGN || u.fn() == UnaryFn.BIPOLAR);
    }
}
