package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ShapeOpsImportTest {
    @Test
    void reshapeCopiesZerosAndInfersMinusOne() {
        assertEquals(new Reshape(List.of(2, 12)), withConstInput(13, "Reshape", new long[] {0, -1}, 2, 3, 4));
        assertEquals(new Reshape(List.of(4, 3, 2)), withConstInput(13, "Reshape", new long[] {-1, 3, 2}, 2, 3, 4));
        OnnxModelBuilder zero = new OnnxModelBuilder("g").opset(14);
        zero.input("x", 0, 3);
        zero.initializer("s", new long[] {3, 0}, 2);
        zero.node("Reshape").inputs("x", "s").outputs("y").intAttr("allowzero", 1);
        zero.output("y");
        assertEquals(new Reshape(List.of(3, 0)), Imports.onlyOp(Imports.of(zero)));
        assertEquals("node 'n' (Reshape): shape [-1, -1] has more than one -1",
                Imports.error(single(13, "Reshape", new int[] {4}, n -> n.inputs("x", "s"), m -> m.initializer("s",
                        new long[] {-1, -1}, 2))));
        assertEquals("node 'n' (Reshape): cannot reshape f32[2,3] to [-1, 4]",
                Imports.error(single(13, "Reshape", new int[] {2, 3}, n -> n.inputs("x", "s"), m -> m.initializer("s",
                        new long[] {-1, 4}, 2))));
    }

    @Test
    void flattenSqueezeUnsqueezeBecomeReshapes() {
        assertEquals(new Reshape(List.of(2, 12)), attrOp(9, "Flatten", n -> { }, 2, 3, 4));
        assertEquals(new Reshape(List.of(1, 24)), attrOp(9, "Flatten", n -> n.intAttr("axis", 0), 2, 3, 4));
        assertEquals(new Reshape(List.of(24, 1)), attrOp(9, "Flatten", n -> n.intAttr("axis", 3), 2, 3, 4));
        assertEquals(new Reshape(List.of(6, 4)), attrOp(13, "Flatten", n -> n.intAttr("axis", -1), 2, 3, 4));

        assertEquals(new Reshape(List.of(3)), attrOp(11, "Squeeze", n -> { }, 1, 3, 1));
        assertEquals(new Reshape(List.of(3, 1)), attrOp(11, "Squeeze", n -> n.intsAttr("axes", 0), 1, 3, 1));
        assertEquals(new Reshape(List.of(1, 3)), withConstInput(13, "Squeeze", new long[] {-1}, 1, 3, 1));
        assertEquals("node 'n' (Squeeze): cannot squeeze axis 1 of f32[1,3,1]: its size is not 1",
                Imports.error(single(11, "Squeeze", new int[] {1, 3, 1}, n -> n.inputs("x").intsAttr("axes", 1), m -> { })));

        assertEquals(new Reshape(List.of(1, 3, 1, 2)), attrOp(11, "Unsqueeze", n -> n.intsAttr("axes", 0, -2), 3, 2));
        assertEquals(new Reshape(List.of(3, 2, 1)), withConstInput(13, "Unsqueeze", new long[] {2}, 3, 2));
        assertEquals("node 'n' (Unsqueeze): axes [2, -1] name axis 2 twice",
                Imports.error(single(13, "Unsqueeze", new int[] {3}, n -> n.inputs("x", "a"),
                        m -> m.initializer("a", new long[] {2, -1}, 2))));
    }

    @Test
    void transposeConcatSplit() {
        assertEquals(new Transpose(List.of(2, 1, 0)), attrOp(13, "Transpose", n -> { }, 2, 3, 4));
        assertEquals(new Transpose(List.of(0, 2, 1)), attrOp(13, "Transpose", n -> n.intsAttr("perm", 0, 2, 1), 2, 3, 4));

        OnnxModelBuilder cat = new OnnxModelBuilder("g");
        cat.input("a", 2, 3).input("b", 2, 5);
        cat.node("Concat").inputs("a", "b").outputs("y").intAttr("axis", -1);
        cat.output("y");
        Graph g = Imports.of(cat);
        assertEquals(new Concat(1), Imports.onlyOp(g));
        assertEquals(TensorType.f32(2, 8), g.outputs().get(0).type());

        assertEquals(new Split(1, List.of(2, 4)), split(11, n -> n.intAttr("axis", 1).intsAttr("split", 2, 4), 2));
        assertEquals(new Split(1, List.of(3, 3)), split(11, n -> n.intAttr("axis", -1), 2));
        assertEquals(new Split(1, List.of(1, 5)), split(13, n -> n.intAttr("axis", 1).inputs("s"), 2));
        assertEquals(new Split(1, List.of(2, 2, 2)), split(18, n -> n.intAttr("axis", 1).intAttr("num_outputs", 3), 3));
        // ceil(6 / 4) = 2 per part, the last one takes the rest.
        assertEquals(new Split(1, List.of(2, 2, 2, 0)), split(18, n -> n.intAttr("axis", 1).intAttr("num_outputs", 4), 4));
    }

    @Test
    void sliceResolvesOnnxBoundsRules() {
        // Opset 9: attributes, no steps.
        assertEquals(new Slice(List.of(1, 0), List.of(1, 1), List.of(2, 5)),
                attrOp(9, "Slice", n -> n.intsAttr("starts", 1).intsAttr("ends", 3), 4, 5));
        assertEquals(new Slice(List.of(0, 2), List.of(1, 1), List.of(4, 3)),
                attrOp(9, "Slice", n -> n.intsAttr("starts", -3).intsAttr("ends", Long.MAX_VALUE).intsAttr("axes", 1), 4, 5));
        // Opset 10+: inputs, negative steps, clamping.
        assertEquals(new Slice(List.of(0, 4), List.of(1, -2), List.of(4, 3)),
                slice(new long[] {-1}, new long[] {Long.MIN_VALUE}, new long[] {1}, new long[] {-2}, 4, 5));
        assertEquals(new Slice(List.of(3, 0), List.of(-1, 1), List.of(2, 5)),
                slice(new long[] {10}, new long[] {1}, new long[] {0}, new long[] {-1}, 4, 5));
        assertEquals(new Slice(List.of(0, 0), List.of(1, 1), List.of(0, 5)),
                slice(new long[] {3}, new long[] {1}, new long[] {0}, new long[] {1}, 4, 5));
        assertEquals(new Slice(List.of(1, 0), List.of(1, 1), List.of(1, 5)),
                slice(new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {0}, new long[] {Long.MAX_VALUE}, 4, 5));
        assertEquals("node 'n' (Slice): step of axis 0 is 0",
                Imports.error(sliceModel(new long[] {0}, new long[] {1}, new long[] {0}, new long[] {0}, 4, 5)));
    }

    @Test
    void gatherNormalizesNegativeIndices() {
        OnnxModelBuilder m = single(13, "Gather", new int[] {3, 4}, n -> n.inputs("x", "i").intAttr("axis", 1),
                mm -> mm.initializer("i", new long[] {-1, 0, 2, -4}, 2, 2));
        Graph g = Imports.of(m);
        assertEquals(new Gather(1, Tensor.ofLongs(Shape.of(2, 2), 3, 0, 2, 0)), Imports.onlyOp(g));
        assertEquals(TensorType.f32(3, 2, 2), g.outputs().get(0).type());
        assertEquals("node 'n' (Gather): index 4 is out of range for axis 0 of f32[4]",
                Imports.error(single(13, "Gather", new int[] {4}, n -> n.inputs("x", "i"),
                        mm -> mm.initializer("i", new long[] {4}, 1))));
    }

    @Test
    void tileExpandAndPad() {
        assertEquals(new Tile(List.of(2, 1)), withConstInput(13, "Tile", new long[] {2, 1}, 2, 3));
        assertEquals(new Expand(List.of(4, 1, 3)), withConstInput(13, "Expand", new long[] {4, 1, 3}, 2, 3));

        assertEquals(new Pad(PadMode.REFLECT, List.of(0, 1, 0, 2), 0f),
                attrOp(9, "Pad", n -> n.intsAttr("pads", 0, 1, 0, 2).stringAttr("mode", "reflect"), 2, 3));
        assertEquals(new Pad(PadMode.CONSTANT, List.of(0, 1, 0, 2), 1.5f),
                attrOp(9, "Pad", n -> n.intsAttr("pads", 0, 1, 0, 2).floatAttr("value", 1.5f), 2, 3));
        assertEquals(new Pad(PadMode.EDGE, List.of(1, 0, -1, 0), 0f),
                withConstInput(11, "Pad", new long[] {1, 0, -1, 0}, 3, 3, n -> n.stringAttr("mode", "edge")));

        OnnxModelBuilder value = single(11, "Pad", new int[] {2}, n -> n.inputs("x", "p", "v"),
                m -> m.initializer("p", new long[] {1, 1}, 2).initializer("v", new float[] {-2}));
        assertEquals(new Pad(PadMode.CONSTANT, List.of(1, 1), -2f), Imports.onlyOp(Imports.of(value)));

        OnnxModelBuilder axes = single(18, "Pad", new int[] {2, 3, 4}, n -> n.inputs("x", "p", "", "a"),
                m -> m.initializer("p", new long[] {1, 2, 3, 4}, 4).initializer("a", new long[] {-1, 0}, 2));
        assertEquals(new Pad(PadMode.CONSTANT, List.of(2, 0, 1, 4, 0, 3), 0f), Imports.onlyOp(Imports.of(axes)));

        assertEquals("node 'n' (Pad): mode 'wrap' is not supported",
                Imports.error(single(19, "Pad", new int[] {2}, n -> n.inputs("x", "p").stringAttr("mode", "wrap"),
                        m -> m.initializer("p", new long[] {1, 1}, 2))));
    }

    private static Op split(int opset, Consumer<OnnxModelBuilder.NodeBuilder> attrs, int outputs) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", 2, 6);
        m.initializer("s", new long[] {1, 5}, 2);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = "y" + i;
        }
        OnnxModelBuilder.NodeBuilder n = m.node("Split").name("n").inputs("x").outputs(outs);
        attrs.accept(n);
        for (String o : outs) {
            m.output(o);
        }
        return Imports.onlyOp(Imports.of(m));
    }

    private static Op slice(long[] starts, long[] ends, long[] axes, long[] steps, int... dims) {
        return Imports.onlyOp(Imports.of(sliceModel(starts, ends, axes, steps, dims)));
    }

    private static OnnxModelBuilder sliceModel(long[] starts, long[] ends, long[] axes, long[] steps, int... dims) {
        return single(13, "Slice", dims, n -> n.inputs("x", "s", "e", "a", "t"), m -> m
                .initializer("s", starts, starts.length).initializer("e", ends, ends.length)
                .initializer("a", axes, axes.length).initializer("t", steps, steps.length));
    }

    /** A node reading x and one constant int64 input. */
    private static Op withConstInput(int opset, String op, long[] value, int... dims) {
        return withConstInput(opset, op, value, dims, n -> { });
    }

    private static Op withConstInput(int opset, String op, long[] value, int d0, int d1,
                                     Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return withConstInput(opset, op, value, new int[] {d0, d1}, attrs);
    }

    private static Op withConstInput(int opset, String op, long[] value, int[] dims,
                                     Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return Imports.onlyOp(Imports.of(single(opset, op, dims, n -> attrs.accept(n.inputs("x", "c")),
                m -> m.initializer("c", value, value.length))));
    }

    /** A node reading x only, with attributes. */
    private static Op attrOp(int opset, String op, Consumer<OnnxModelBuilder.NodeBuilder> attrs, int... dims) {
        return Imports.onlyOp(Imports.of(single(opset, op, dims, n -> attrs.accept(n.inputs("x")), m -> { })));
    }

    static OnnxModelBuilder single(int opset, String op, int[] dims, Consumer<OnnxModelBuilder.NodeBuilder> node,
                                   Consumer<OnnxModelBuilder> model) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", dims);
        model.accept(m);
        node.accept(m.node(op).name("n").outputs("y"));
        m.output("y");
        return m;
    }
}
