package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Data movement, reductions and constant-producing ops against ONNX Runtime, across opsets. */
class ShapeOpsGoldenTest {
    private static final int[] X = {2, 3, 4};

    @TestFactory
    Stream<DynamicTest> reshapes() {
        return Stream.of(
                dynamicTest("Reshape 0 and -1", () -> Golden.check(withLongs(13, "Reshape", X, 0, -1))),
                dynamicTest("Reshape allowzero", () -> Golden.check(withLongs(14, "Reshape", X, n -> n.intAttr("allowzero", 1),
                        4, 6))),
                dynamicTest("Flatten default", () -> Golden.check(attrs(9, "Flatten", X, n -> { }))),
                dynamicTest("Flatten axis 0", () -> Golden.check(attrs(11, "Flatten", X, n -> n.intAttr("axis", 0)))),
                dynamicTest("Flatten axis -1", () -> Golden.check(attrs(13, "Flatten", X, n -> n.intAttr("axis", -1)))),
                dynamicTest("Squeeze opset 11 all", () -> Golden.check(attrs(11, "Squeeze", new int[] {1, 3, 1, 2}, n -> { }))),
                dynamicTest("Squeeze opset 11 axes", () -> Golden.check(attrs(11, "Squeeze", new int[] {1, 3, 1, 2},
                        n -> n.intsAttr("axes", -2)))),
                dynamicTest("Squeeze opset 13 input", () -> Golden.check(withLongs(13, "Squeeze", new int[] {1, 3, 1, 2}, 0, 2))),
                dynamicTest("Squeeze opset 21 no axes", () -> Golden.check(attrs(21, "Squeeze", new int[] {1, 3, 1}, n -> { }))),
                dynamicTest("Unsqueeze opset 9", () -> Golden.check(attrs(9, "Unsqueeze", X, n -> n.intsAttr("axes", 0, 3)))),
                dynamicTest("Unsqueeze opset 11 negative", () -> Golden.check(attrs(11, "Unsqueeze", X,
                        n -> n.intsAttr("axes", -1)))),
                dynamicTest("Unsqueeze opset 13 input", () -> Golden.check(withLongs(13, "Unsqueeze", X, 1, -1))),
                dynamicTest("Transpose default", () -> Golden.check(attrs(9, "Transpose", X, n -> { }))),
                dynamicTest("Transpose perm", () -> Golden.check(attrs(13, "Transpose", new int[] {2, 3, 4, 5},
                        n -> n.intsAttr("perm", 0, 2, 3, 1)))));
    }

    @TestFactory
    Stream<DynamicTest> concatSplitSlice() {
        return Stream.of(
                dynamicTest("Concat axis 1", () -> Golden.check(concat(9, 1))),
                dynamicTest("Concat axis -2", () -> Golden.check(concat(13, -2))),
                dynamicTest("Split opset 9 equal", () -> Golden.check(split(9, 2, n -> n.intAttr("axis", 2)))),
                dynamicTest("Split opset 11 attr", () -> Golden.check(split(11, 2, n -> n.intAttr("axis", -1)
                        .intsAttr("split", 1, 3)))),
                dynamicTest("Split opset 13 input", () -> Golden.check(split13())),
                dynamicTest("Split opset 18 num_outputs even", () -> Golden.check(split(18, 2, n -> n.intAttr("axis", 2)
                        .intAttr("num_outputs", 2)))),
                dynamicTest("Split opset 18 num_outputs uneven", () -> Golden.check(split(18, 3, n -> n.intAttr("axis", 2)
                        .intAttr("num_outputs", 3)))),
                dynamicTest("Slice opset 9 attributes", () -> Golden.check(attrs(9, "Slice", X, n -> n
                        .intsAttr("starts", 1, -3).intsAttr("ends", 1000, -1).intsAttr("axes", 1, 2)))),
                dynamicTest("Slice opset 9 no axes", () -> Golden.check(attrs(9, "Slice", X, n -> n
                        .intsAttr("starts", 0, 1).intsAttr("ends", 1, 3)))),
                dynamicTest("Slice opset 10 inputs", () -> Golden.check(slice(10, new long[] {1, 0}, new long[] {3, -1},
                        new long[] {2, 1}, null))),
                dynamicTest("Slice negative steps", () -> Golden.check(slice(13, new long[] {-1, 10},
                        new long[] {Long.MIN_VALUE, 0}, new long[] {2, 1}, new long[] {-2, -1}))),
                dynamicTest("Slice INT_MAX and clamping", () -> Golden.check(slice(13, new long[] {-100, 1},
                        new long[] {Long.MAX_VALUE, 100}, new long[] {2, 0}, new long[] {3, 1}))),
                dynamicTest("Slice empty", () -> Golden.check(slice(13, new long[] {3}, new long[] {1}, new long[] {2}, null))),
                dynamicTest("Slice opset 21 huge step", () -> Golden.check(slice(21, new long[] {0}, new long[] {-1},
                        new long[] {1}, new long[] {Long.MAX_VALUE}))));
    }

    @TestFactory
    Stream<DynamicTest> gatherTileExpandPad() {
        return Stream.of(
                dynamicTest("Gather axis 0", () -> Golden.check(gather(9, 0, Tensor.ofLongs(Shape.of(2), 1, 0)))),
                dynamicTest("Gather axis 2 negative 2-D indices", () -> Golden.check(gather(13, 2,
                        Tensor.ofLongs(Shape.of(2, 2), -1, 0, 2, -4)))),
                dynamicTest("Gather scalar index", () -> Golden.check(gather(13, -2, Tensor.ofLongs(Shape.scalar(), 2)))),
                dynamicTest("Tile", () -> Golden.check(withLongs(13, "Tile", X, 2, 1, 3))),
                dynamicTest("Expand", () -> Golden.check(withLongs(13, "Expand", new int[] {3, 1}, 2, 1, 4))),
                dynamicTest("Expand to smaller rank", () -> Golden.check(withLongs(8, "Expand", X, 3, 1))),
                dynamicTest("Pad opset 9 constant", () -> Golden.check(attrs(9, "Pad", X, n -> n.intsAttr("pads", 0, 1, 2, 1, 0, 1)
                        .floatAttr("value", 0.5f)))),
                dynamicTest("Pad opset 9 reflect", () -> Golden.check(attrs(9, "Pad", X, n -> n.intsAttr("pads", 0, 1, 2, 0, 2, 3)
                        .stringAttr("mode", "reflect")))),
                dynamicTest("Pad opset 9 edge", () -> Golden.check(attrs(9, "Pad", X, n -> n.intsAttr("pads", 0, 2, 0, 1, 0, 3)
                        .stringAttr("mode", "edge")))),
                dynamicTest("Pad opset 11 input", () -> Golden.check(withLongs(11, "Pad", X, 0, 1, -1, 0, 2, 1))),
                dynamicTest("Pad opset 13 value input", () -> Golden.check(padWithValue(13))),
                dynamicTest("Pad opset 18 axes", () -> Golden.check(padAxes(18, "constant"))),
                dynamicTest("Pad opset 21 axes reflect", () -> Golden.check(padAxes(21, "reflect"))));
    }

    @TestFactory
    Stream<DynamicTest> reductions() {
        String[] ops = {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                "ReduceSumSquare", "ReduceLogSumExp"};
        // Inputs in [0.5, 1.5): products and logs stay well conditioned.
        return Stream.of(ops).flatMap(op -> Stream.of(
                dynamicTest(op + " opset 11 axes", () -> Golden.check(attrs(11, op, X, n -> n.intsAttr("axes", 0, -1)),
                        0.5f, 1.5f)),
                dynamicTest(op + " opset 13 all, keepdims 0", () -> Golden.check(attrs(13, op, X,
                        n -> n.intAttr("keepdims", 0)), 0.5f, 1.5f)),
                dynamicTest(op + " opset 18 axes input", () -> Golden.check(withLongs(18, op, X, 1), 0.5f, 1.5f)),
                // An empty axes input: ONNX Runtime 1.22 fails on an absent one with noop_with_empty_axes
                // (1.30 returns the input, as the spec says; ElementwiseImportTest checks that case).
                dynamicTest(op + " opset 18 noop", () -> Golden.check(withLongs(18, op, X,
                        n -> n.intAttr("noop_with_empty_axes", 1)), 0.5f, 1.5f))));
    }

    @TestFactory
    Stream<DynamicTest> constantsFromShapes() {
        return Stream.of(
                dynamicTest("Shape", () -> Golden.check(attrs(9, "Shape", X, n -> { }))),
                dynamicTest("Shape start end", () -> Golden.check(attrs(15, "Shape", X, n -> n.intAttr("start", 1)
                        .intAttr("end", -1)))),
                dynamicTest("Size", () -> Golden.check(attrs(13, "Size", X, n -> { }))),
                dynamicTest("ConstantOfShape of Shape", () -> Golden.check(constantOfShape(9))),
                dynamicTest("Constant value_floats", () -> Golden.check(constantAdd(13))));
    }

    private static OnnxModelBuilder attrs(int opset, String op, int[] x, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return ShapeOpsImportTest.single(opset, op, x, n -> attrs.accept(n.inputs("x")), m -> { });
    }

    private static OnnxModelBuilder withLongs(int opset, String op, int[] x, long... values) {
        return withLongs(opset, op, x, n -> { }, values);
    }

    private static OnnxModelBuilder withLongs(int opset, String op, int[] x, Consumer<OnnxModelBuilder.NodeBuilder> attrs,
                                              long... values) {
        return ShapeOpsImportTest.single(opset, op, x, n -> attrs.accept(n.inputs("x", "c")),
                m -> m.initializer("c", values, values.length));
    }

    private static OnnxModelBuilder concat(int opset, int axis) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("a", 2, 3, 4).input("b", 2, 1, 4).input("c", 2, 2, 4);
        m.node("Concat").inputs("a", "b", "c").outputs("y").intAttr("axis", axis);
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder split(int opset, int outputs, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", 2, 3, outputs == 3 ? 7 : 4);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = "y" + i;
        }
        attrs.accept(m.node("Split").inputs("x").outputs(outs));
        for (String o : outs) {
            m.output(o);
        }
        return m;
    }

    private static OnnxModelBuilder split13() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        m.input("x", X);
        m.initializer("s", new long[] {1, 2}, 2);
        m.node("Split").inputs("x", "s").outputs("a", "b").intAttr("axis", 1);
        m.output("a").output("b");
        return m;
    }

    private static OnnxModelBuilder slice(int opset, long[] starts, long[] ends, long[] axes, long[] steps) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", 4, 5, 6);
        m.initializer("s", starts, starts.length).initializer("e", ends, ends.length).initializer("a", axes, axes.length);
        if (steps != null) {
            m.initializer("t", steps, steps.length);
            m.node("Slice").inputs("x", "s", "e", "a", "t").outputs("y");
        } else {
            m.node("Slice").inputs("x", "s", "e", "a").outputs("y");
        }
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder gather(int opset, int axis, Tensor indices) {
        return ShapeOpsImportTest.single(opset, "Gather", X, n -> n.inputs("x", "i").intAttr("axis", axis),
                m -> m.initializer("i", indices));
    }

    private static OnnxModelBuilder padWithValue(int opset) {
        return ShapeOpsImportTest.single(opset, "Pad", X, n -> n.inputs("x", "p", "v"),
                m -> m.initializer("p", new long[] {1, 0, 0, 0, 2, 1}, 6).initializer("v", new float[] {-3f}));
    }

    private static OnnxModelBuilder padAxes(int opset, String mode) {
        return ShapeOpsImportTest.single(opset, "Pad", X, n -> n.inputs("x", "p", "", "a").stringAttr("mode", mode),
                m -> m.initializer("p", new long[] {1, 2, 3, 1}, 4).initializer("a", new long[] {-1, 1}, 2));
    }

    /** y = x + ConstantOfShape(Shape(x)) with value 2. */
    private static OnnxModelBuilder constantOfShape(int opset) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", X);
        m.node("Shape").inputs("x").outputs("s");
        m.node("ConstantOfShape").inputs("s").outputs("c").tensorAttr("value", Tensor.ofFloats(Shape.of(1), 2f));
        m.node("Add").inputs("x", "c").outputs("y");
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder constantAdd(int opset) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", X);
        m.node("Constant").outputs("c").floatsAttr("value_floats", 1, -2, 3, 0.5f);
        m.node("Add").inputs("x", "c").outputs("y");
        m.output("y");
        return m;
    }
}
