package dev.bnnc.ir.text;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.BatchNorm;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.BinaryConv;
import dev.bnnc.ir.ops.BinaryDense;
import dev.bnnc.ir.ops.BinaryDepthwiseConv1d;
import dev.bnnc.ir.ops.BinaryOutput;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.PackSigns;
import dev.bnnc.ir.ops.ChannelAffine;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Gemm;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.MatMul;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Softmax;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.List;

/** A graph with at least one node of every op, for round-trip tests. */
final class EveryOpGraph {
    private EveryOpGraph() {}

    static Graph build() {
        GraphBuilder b = new GraphBuilder("every_op");
        Value x = b.input("x", TensorType.f32(1, 3, 8, 8));
        Value m = b.input("m", TensorType.f32(2, 4));
        Value w = b.constant("w", Tensor.ofFloats(Shape.of(2, 3, 1, 1), 0.5f, -1f, 2f, 0f, 1f, 3f));
        Value id = b.add("id", new Identity(), x);
        Value relu = b.add("relu", new Unary(UnaryFn.RELU), id);
        Value leaky = b.add("leaky", new LeakyRelu(0.1f), relu);
        Value elu = b.add("elu", new Elu(1f), leaky);
        Value selu = b.add("selu", new Selu(1.6732632f, 1.050701f), elu);
        Value clip = b.add("clip", new Clip(Float.NEGATIVE_INFINITY, 6f), selu);
        Value sum = b.add("sum", new Binary(BinaryFn.ADD), clip, x);
        Value conv = b.add("conv1", new Conv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1),
                List.of(sum, w), List.of("conv1_out")).output();
        Value c2 = b.constant("c2", Tensor.ofFloats(Shape.of(2), 1f, 2f));
        Value bn = b.add("bn", new BatchNorm(1e-5f), conv, c2, c2, c2, c2);
        Value affine = b.add("affine", new ChannelAffine(1), bn, c2, c2);
        Value softmax = b.add("softmax", new Softmax(1, false), affine);
        Value pool = b.add("pool", new Pool(PoolKind.MAX, List.of(2, 2), List.of(2, 2), List.of(0, 0, 0, 0),
                List.of(1, 1), false, false), softmax);
        Value reduce = b.add("reduce", new Reduce(ReduceFn.MEAN, List.of(2, 3), true), pool);
        Value pad = b.add("pad", new Pad(PadMode.CONSTANT, List.of(0, 0, 1, 1, 0, 0, 1, 1), 0f), pool);
        Value reshape = b.add("reshape", new Reshape(List.of(2, 36)), pad);
        Value transpose = b.add("transpose", new Transpose(List.of(1, 0)), reshape);
        Value concat = b.add("concat", new Concat(0), transpose, transpose);
        Node split = b.add("split", new Split(0, List.of(36, 36)), List.of(concat), List.of("half_a", "half_b"));
        Value slice = b.add("slice", new Slice(List.of(0, 0), List.of(2, 1), List.of(18, 2)), split.outputs().get(0));
        Value gather = b.add("gather", new Gather(0, Tensor.ofLongs(Shape.of(2), 3, 1)), slice);
        Value tile = b.add("tile", new Tile(List.of(1, 2)), gather);
        Value expand = b.add("expand", new Expand(List.of(3, 2, 4)), tile);
        Value gemm = b.add("gemm", new Gemm(1f, 0.5f, false, true), m, tile);
        Value wk = b.constant("wk", Tensor.ofFloats(Shape.of(4, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        Value bias = b.constant("bias", Tensor.ofFloats(Shape.of(3), -1, 0, 1));
        Value matmul = b.add("matmul", new MatMul(), m, wk);
        Value dense = b.add("dense", new Dense(), m, wk, bias);
        Value cast = b.add("cast", new Cast(DType.I64), dense);
        Value xf = b.constant("xf", Tensor.ofFloats(Shape.of(3, 2), 1, -2, 0.5f, 3, 2, 1));
        Value wf = b.constant("wf", Tensor.ofFloats(Shape.of(2, 5), 1, 0, -1, 2, 0.25f, 3, 1, 1, -2, 4));
        Value factored = b.add("factored", new FactoredDense(4, 3, true), m, xf, wf, bias);
        // Binary layers: x [1,3,8,8] packed along channels, a 1x1 binary conv with sign output, a binary dense.
        Node packed = b.add("pack", new PackSigns(1, 1, false), List.of(x), List.of("xbits", "xzeros"));
        Value cw = b.constant("cw", Tensor.adoptBits(Shape.of(2, 1, 1, 1), new long[] {0b101L, 0b010L}));
        Value lo = b.constant("lo", Tensor.ofLongs(Shape.of(2), 0, 1));
        Node bconv = b.add("bconv", new BinaryConv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1, 3, true,
                BinaryOutput.SIGNS_WITH_ZEROS, 1, 1), List.of(packed.outputs().get(0), packed.outputs().get(1), cw, lo, lo),
                List.of("cbits", "czeros"));
        Value dw = b.constant("dw", Tensor.adoptBits(Shape.of(3, 1), new long[] {1L, 2L, 3L}));
        Value scale = b.constant("scale", Tensor.ofFloats(Shape.of(3), 0.5f, 1f, 2f));
        Value bdense = b.add("bdense", new BinaryDense(8, false, BinaryOutput.AFFINE, 0, 1), bconv.outputs().get(0), dw, scale, scale);
        Value tbits = b.add("tpack", new PackSigns(2, 1, true), reshapeTo(b, x));
        Value tw = b.constant("tw", Tensor.adoptBits(Shape.of(3, 1), new long[] {0b101L, 0b011L, 0L}));
        Value tscale = b.constant("tscale", Tensor.ofFloats(Shape.of(3), 1f, 2f, 3f));
        Value mem = b.add("mem", new BinaryDepthwiseConv1d(64, 3, 1, 1, 1, 1, false, BinaryOutput.AFFINE, 0, 1), tbits, tw, tscale, tscale);
        for (Value out : List.of(reduce, expand, gemm, matmul, cast, factored, split.outputs().get(1), bdense, bconv.outputs().get(1), mem)) {
            b.output(out);
        }
        return b.build();
    }

    private static Value reshapeTo(GraphBuilder b, Value x) {
        return b.add("frames", new Reshape(List.of(1, 3, 64)), x);
    }
}
