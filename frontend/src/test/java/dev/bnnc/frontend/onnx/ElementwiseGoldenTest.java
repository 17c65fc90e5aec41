package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Element-wise ops against ONNX Runtime, with their attribute variants, across opsets. */
class ElementwiseGoldenTest {
    private static final int[] SHAPE = {2, 3, 4};

    @TestFactory
    Stream<DynamicTest> unaryFunctions() {
        List<String> anyInput = List.of("Relu", "Sigmoid", "Tanh", "Exp", "Neg", "Abs", "Sign", "Softplus", "Softsign",
                "Floor", "Ceil");
        List<String> positiveInput = List.of("Log", "Sqrt", "Reciprocal");
        return Stream.concat(
                anyInput.stream().flatMap(op -> Stream.of(9, 13).map(opset -> dynamicTest(op + " opset " + opset,
                        () -> Golden.check(unary(opset, op, n -> { }), -3, 3)))),
                Stream.concat(
                        positiveInput.stream().map(op -> dynamicTest(op, () -> Golden.check(unary(13, op, n -> { }), 0.1f, 4))),
                        // Round (opset 11+) on halves: ties go to even.
                        Stream.of(dynamicTest("Round", () -> Golden.check(roundHalves())))));
    }

    /** What ONNX Runtime gives for NaN, infinities and signed zeros (Relu keeps a NaN, for one). */
    @TestFactory
    Stream<DynamicTest> specialValues() {
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0f, 0.0f, -1.5f, 2.5f};
        Stream<DynamicTest> unary = Stream.of("Relu", "Neg", "Abs", "Sign", "Floor", "Ceil", "Sigmoid", "Tanh", "Exp", "Softsign")
                .map(op -> dynamicTest(op, () -> Golden.check(unary(13, op, n -> { }), special)));
        // Slopes in (0, 1], above 1, and of both kinds and negative: the forms the backends choose between.
        // Not infinities: ONNX Runtime's PRelu and LeakyRelu give NaN for them, the interpreter the rule's
        // x or slope * x. The smallest subnormals' products underflow to ±0.
        float[] slopeSpecial = {Float.NaN, -0.0f, 0.0f, -1.5f, 2.5f, -Float.MIN_VALUE, Float.MIN_VALUE};
        Stream<DynamicTest> slopes = Stream.of(
                dynamicTest("LeakyRelu alpha 0.3", () -> Golden.check(unary(16, "LeakyRelu", n -> n.floatAttr("alpha", 0.3f)), slopeSpecial)),
                dynamicTest("LeakyRelu alpha 1.5", () -> Golden.check(unary(16, "LeakyRelu", n -> n.floatAttr("alpha", 1.5f)), slopeSpecial)),
                dynamicTest("PRelu slopes at most 1", () -> Golden.check(withInitializer(9, "PRelu", new int[] {1, 3, 7},
                        m -> m.initializer("s", new float[] {0.1f, 1f, 0.5f}, 3, 1), "s"), slopeSpecial)),
                dynamicTest("PRelu slopes above 1", () -> Golden.check(withInitializer(9, "PRelu", new int[] {1, 3, 7},
                        m -> m.initializer("s", new float[] {1.5f, 3f, 1.01f}, 3, 1), "s"), slopeSpecial)),
                dynamicTest("PRelu mixed slopes", () -> Golden.check(withInitializer(9, "PRelu", new int[] {1, 3, 7},
                        m -> m.initializer("s", new float[] {0.25f, -0.5f, 2f}, 3, 1), "s"), slopeSpecial)));
        return Stream.concat(unary, slopes);
    }

    @TestFactory
    Stream<DynamicTest> activationsWithAttributes() {
        return Stream.of(
                dynamicTest("LeakyRelu default", () -> Golden.check(unary(9, "LeakyRelu", n -> { }))),
                dynamicTest("LeakyRelu alpha", () -> Golden.check(unary(16, "LeakyRelu", n -> n.floatAttr("alpha", 0.3f)))),
                dynamicTest("Elu", () -> Golden.check(unary(13, "Elu", n -> n.floatAttr("alpha", 0.7f)))),
                dynamicTest("Selu default", () -> Golden.check(unary(13, "Selu", n -> { }))),
                dynamicTest("Selu alpha gamma", () -> Golden.check(unary(9, "Selu",
                        n -> n.floatAttr("alpha", 1.2f).floatAttr("gamma", 0.8f)))),
                dynamicTest("PRelu per channel", () -> Golden.check(withInitializer(9, "PRelu", new int[] {1, 3, 2, 2},
                        m -> m.initializer("s", new float[] {0.1f, -0.5f, 2f}, 3, 1, 1), "s"))),
                dynamicTest("PRelu scalar slope", () -> Golden.check(withInitializer(16, "PRelu", SHAPE,
                        m -> m.initializer("s", new float[] {0.25f}, 1), "s"))));
    }

    @TestFactory
    Stream<DynamicTest> clipVariants() {
        return Stream.of(
                dynamicTest("Clip opset 9 attributes", () -> Golden.check(unary(9, "Clip",
                        n -> n.floatAttr("min", -0.5f).floatAttr("max", 1f)))),
                dynamicTest("Clip opset 9 min only", () -> Golden.check(unary(9, "Clip", n -> n.floatAttr("min", 0f)))),
                dynamicTest("Clip opset 11 no bounds", () -> Golden.check(unary(11, "Clip", n -> { }))),
                dynamicTest("Clip opset 13 inputs", () -> Golden.check(withInitializer(13, "Clip", SHAPE,
                        m -> m.initializer("lo", new float[] {-1f}).initializer("hi", new float[] {0.5f}), "lo", "hi"))),
                dynamicTest("Clip opset 21 max only", () -> Golden.check(withInitializer(21, "Clip", SHAPE,
                        m -> m.initializer("hi", new float[] {0.5f}), "", "hi"))));
    }

    @TestFactory
    Stream<DynamicTest> binaryWithBroadcasting() {
        return Stream.of("Add", "Sub", "Mul", "Div", "Max", "Min").flatMap(op -> Stream.of(
                dynamicTest(op + " same shape", () -> Golden.check(twoInputs(13, op, SHAPE, SHAPE))),
                dynamicTest(op + " broadcast", () -> Golden.check(twoInputs(8, op, SHAPE, new int[] {3, 1}))),
                dynamicTest(op + " scalar", () -> Golden.check(withInitializer(14, op, SHAPE,
                        m -> m.initializer("c", new float[] {1.5f}), "c")))));
    }

    @TestFactory
    Stream<DynamicTest> powAndVariadic() {
        return Stream.of(
                dynamicTest("Pow", () -> Golden.check(twoInputs(13, "Pow", SHAPE, new int[] {4}), 0.5f, 2)),
                dynamicTest("Pow int exponent", () -> Golden.check(withInitializer(15, "Pow", SHAPE,
                        m -> m.initializer("e", new long[] {3}, 1), "e"))),
                dynamicTest("Sum of 3", () -> Golden.check(variadic(13, "Sum", SHAPE, new int[] {4}, new int[] {3, 1}))),
                dynamicTest("Mean of 3", () -> Golden.check(variadic(13, "Mean", SHAPE, new int[] {3, 4}, SHAPE))),
                dynamicTest("Mean of 1", () -> Golden.check(variadic(9, "Mean", SHAPE))),
                dynamicTest("Max of 4", () -> Golden.check(variadic(13, "Max", SHAPE, SHAPE, new int[] {1}, new int[] {4}))),
                dynamicTest("Min of 1", () -> Golden.check(variadic(8, "Min", SHAPE))));
    }

    @TestFactory
    Stream<DynamicTest> castIdentityDropout() {
        return Stream.of(
                dynamicTest("Cast to int64", () -> Golden.check(unary(13, "Cast", n -> n.intAttr("to", 7)), -5, 5)),
                dynamicTest("Cast to int32", () -> Golden.check(unary(9, "Cast", n -> n.intAttr("to", 6)), -5, 5)),
                dynamicTest("Cast to double", () -> Golden.check(unary(13, "Cast", n -> n.intAttr("to", 11)))),
                dynamicTest("Cast to bool", () -> Golden.check(castChain(13, 1), -1, 1)),
                dynamicTest("Cast int to float", () -> Golden.check(castFromInt(13))),
                dynamicTest("Identity", () -> Golden.check(unary(13, "Identity", n -> { }))),
                dynamicTest("Dropout opset 9", () -> Golden.check(unary(9, "Dropout", n -> n.floatAttr("ratio", 0.5f)))),
                dynamicTest("Dropout opset 13", () -> Golden.check(withInitializer(13, "Dropout", SHAPE,
                        m -> m.initializer("r", new float[] {0.5f}), "r"))));
    }

    /** x * 2.5 rounded: many exact halves. */
    private static OnnxModelBuilder roundHalves() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(11);
        m.input("x", OnnxElementType.INT64, SHAPE);
        m.initializer("h", new float[] {2.5f});
        m.node("Cast").inputs("x").outputs("f").intAttr("to", 1);
        m.node("Mul").inputs("f", "h").outputs("m");
        m.node("Round").inputs("m").outputs("y");
        m.output("y");
        return m;
    }

    /** float -> bool -> float, on x rounded so that exact zeros occur. */
    private static OnnxModelBuilder castChain(int opset, int to) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", SHAPE);
        m.node("Round").inputs("x").outputs("r");
        m.node("Cast").inputs("r").outputs("b").intAttr("to", 9);
        m.node("Cast").inputs("b").outputs("y").intAttr("to", to);
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder castFromInt(int opset) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", OnnxElementType.INT64, SHAPE);
        m.node("Cast").inputs("x").outputs("y").intAttr("to", 1);
        m.output("y");
        return m;
    }

    static OnnxModelBuilder unary(int opset, String op, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return ShapeOpsImportTest.single(opset, op, SHAPE, n -> attrs.accept(n.inputs("x")), m -> { });
    }

    private static OnnxModelBuilder withInitializer(int opset, String op, int[] shape, Consumer<OnnxModelBuilder> inits,
                                                    String... more) {
        String[] in = new String[more.length + 1];
        in[0] = "x";
        System.arraycopy(more, 0, in, 1, more.length);
        return ShapeOpsImportTest.single(opset, op, shape, n -> n.inputs(in), inits);
    }

    private static OnnxModelBuilder twoInputs(int opset, String op, int[] a, int[] b) {
        return variadic(opset, op, a, b);
    }

    private static OnnxModelBuilder variadic(int opset, String op, int[]... shapes) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        String[] names = new String[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            names[i] = "x" + i;
            m.input(names[i], shapes[i]);
        }
        m.node(op).inputs(names).outputs("y");
        m.output("y");
        return m;
    }
}
