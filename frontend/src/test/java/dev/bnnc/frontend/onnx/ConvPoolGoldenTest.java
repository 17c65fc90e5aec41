package dev.bnnc.frontend.onnx;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Conv, pools, Gemm, MatMul, BatchNormalization and Softmax against ONNX Runtime. */
class ConvPoolGoldenTest {
    @TestFactory
    Stream<DynamicTest> conv() {
        return Stream.of(
                dynamicTest("1-D", () -> Golden.check(conv(11, new int[] {1, 3, 12}, new int[] {4, 3, 3}, true, n -> { }))),
                dynamicTest("2-D strides pads dilations", () -> Golden.check(conv(13, new int[] {2, 3, 9, 8},
                        new int[] {4, 3, 3, 2}, true, n -> n.intsAttr("strides", 2, 1).intsAttr("pads", 1, 0, 2, 1)
                                .intsAttr("dilations", 1, 2).intsAttr("kernel_shape", 3, 2)))),
                dynamicTest("3-D", () -> Golden.check(conv(9, new int[] {1, 2, 5, 4, 6}, new int[] {3, 2, 2, 3, 2}, false,
                        n -> n.intsAttr("pads", 1, 0, 1, 0, 1, 1)))),
                dynamicTest("grouped", () -> Golden.check(conv(13, new int[] {1, 4, 7, 7}, new int[] {6, 2, 3, 3}, true,
                        n -> n.intAttr("group", 2)))),
                dynamicTest("depthwise 1-D (FSMN memory)", () -> Golden.check(conv(21, new int[] {1, 8, 20},
                        new int[] {8, 1, 5}, false, n -> n.intAttr("group", 8).intsAttr("pads", 4, 0)))),
                // Planes long enough for the kernels' reuse of gathered rows (stride a multiple of the
                // dilation) and for shifted copies of the padded plane (depthwise, dilated taps).
                dynamicTest("1-D stride 2, rows reused", () -> Golden.check(conv(13, new int[] {1, 2, 80}, new int[] {3, 2, 5}, true,
                        n -> n.intsAttr("strides", 2).intsAttr("pads", 2, 2)))),
                dynamicTest("2-D stride 2 dilation 2, rows reused", () -> Golden.check(conv(13, new int[] {1, 2, 20, 20},
                        new int[] {3, 2, 3, 3}, true, n -> n.intsAttr("strides", 2, 2).intsAttr("dilations", 2, 2)
                                .intsAttr("pads", 1, 1, 1, 1)))),
                dynamicTest("2-D stride 4 dilation 2 kernel 5", () -> Golden.check(conv(13, new int[] {1, 1, 40, 24},
                        new int[] {2, 1, 5, 5}, false, n -> n.intsAttr("strides", 4, 1).intsAttr("dilations", 2, 1)))),
                dynamicTest("2-D stride 3 dilation 2", () -> Golden.check(conv(13, new int[] {1, 1, 40, 24},
                        new int[] {2, 1, 3, 3}, false, n -> n.intsAttr("strides", 3, 1).intsAttr("dilations", 2, 1)))),
                dynamicTest("depthwise 2-D dilated", () -> Golden.check(conv(13, new int[] {1, 3, 12, 11},
                        new int[] {3, 1, 3, 3}, true, n -> n.intAttr("group", 3).intsAttr("dilations", 2, 3)
                                .intsAttr("pads", 2, 3, 1, 2)))),
                dynamicTest("auto_pad SAME_UPPER", () -> Golden.check(conv(11, new int[] {1, 2, 7, 8}, new int[] {3, 2, 4, 3},
                        true, n -> n.stringAttr("auto_pad", "SAME_UPPER").intsAttr("strides", 2, 3)))),
                dynamicTest("auto_pad SAME_LOWER", () -> Golden.check(conv(11, new int[] {1, 2, 7, 8}, new int[] {3, 2, 4, 3},
                        true, n -> n.stringAttr("auto_pad", "SAME_LOWER").intsAttr("strides", 2, 1)))),
                dynamicTest("auto_pad VALID", () -> Golden.check(conv(9, new int[] {1, 2, 7, 8}, new int[] {3, 2, 4, 3},
                        false, n -> n.stringAttr("auto_pad", "VALID").intsAttr("strides", 2, 2)))));
    }

    @TestFactory
    Stream<DynamicTest> pools() {
        int[] x = {1, 2, 9, 8};
        return Stream.of(
                dynamicTest("MaxPool", () -> Golden.check(pool(9, "MaxPool", x, n -> n.intsAttr("kernel_shape", 3, 3)))),
                dynamicTest("MaxPool strides pads", () -> Golden.check(pool(11, "MaxPool", x, n -> n
                        .intsAttr("kernel_shape", 3, 2).intsAttr("strides", 2, 2).intsAttr("pads", 1, 0, 1, 1)))),
                dynamicTest("MaxPool ceil dilations", () -> Golden.check(pool(12, "MaxPool", x, n -> n
                        .intsAttr("kernel_shape", 2, 2).intsAttr("strides", 2, 3).intsAttr("dilations", 2, 1)
                        .intAttr("ceil_mode", 1)))),
                dynamicTest("MaxPool 1-D", () -> Golden.check(pool(13, "MaxPool", new int[] {1, 3, 10}, n -> n
                        .intsAttr("kernel_shape", 3).intsAttr("strides", 2).intsAttr("pads", 1, 1)))),
                dynamicTest("MaxPool SAME_UPPER", () -> Golden.check(pool(13, "MaxPool", x, n -> n
                        .intsAttr("kernel_shape", 3, 2).intsAttr("strides", 2, 3).stringAttr("auto_pad", "SAME_UPPER")))),
                dynamicTest("MaxPool SAME_LOWER", () -> Golden.check(pool(13, "MaxPool", x, n -> n
                        .intsAttr("kernel_shape", 2, 2).intsAttr("strides", 1, 1).stringAttr("auto_pad", "SAME_LOWER")))),
                dynamicTest("AveragePool", () -> Golden.check(pool(9, "AveragePool", x, n -> n.intsAttr("kernel_shape", 2, 3)))),
                dynamicTest("AveragePool pads excluded", () -> Golden.check(pool(11, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 3, 3).intsAttr("pads", 1, 1, 1, 1).intsAttr("strides", 2, 2)))),
                dynamicTest("AveragePool pads counted", () -> Golden.check(pool(11, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 3, 3).intsAttr("pads", 1, 1, 1, 1).intsAttr("strides", 2, 2)
                        .intAttr("count_include_pad", 1)))),
                dynamicTest("AveragePool ceil", () -> Golden.check(pool(13, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 2, 2).intsAttr("strides", 2, 3).intAttr("ceil_mode", 1)))),
                dynamicTest("AveragePool SAME_UPPER", () -> Golden.check(pool(11, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 3, 3).intsAttr("strides", 2, 2).stringAttr("auto_pad", "SAME_UPPER")))),
                dynamicTest("AveragePool VALID", () -> Golden.check(pool(11, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 3, 3).intsAttr("strides", 2, 2).stringAttr("auto_pad", "VALID")))),
                dynamicTest("AveragePool dilations", () -> Golden.check(pool(19, "AveragePool", x, n -> n
                        .intsAttr("kernel_shape", 2, 2).intsAttr("dilations", 2, 2).intsAttr("pads", 1, 1, 0, 0)))),
                // 10 planes: the generated code pools 8 of them together, then the last 2 one by one.
                dynamicTest("AveragePool 10 planes", () -> Golden.check(pool(11, "AveragePool", new int[] {2, 5, 9, 8}, n -> n
                        .intsAttr("kernel_shape", 3, 3).intsAttr("pads", 1, 1, 1, 1).intsAttr("strides", 2, 2)))),
                dynamicTest("MaxPool 10 planes", () -> Golden.check(pool(11, "MaxPool", new int[] {2, 5, 9, 8}, n -> n
                        .intsAttr("kernel_shape", 3, 2).intsAttr("strides", 2, 2).intsAttr("pads", 1, 0, 1, 1)))),
                dynamicTest("GlobalAveragePool", () -> Golden.check(pool(9, "GlobalAveragePool", x, n -> { }))),
                dynamicTest("GlobalMaxPool 1-D", () -> Golden.check(pool(13, "GlobalMaxPool", new int[] {2, 3, 7}, n -> { }))));
    }

    @TestFactory
    Stream<DynamicTest> matrices() {
        Random r = new Random(7);
        return Stream.of(
                dynamicTest("Gemm", () -> Golden.check(gemm(9, false, false, new int[] {5}, n -> { }, r))),
                dynamicTest("Gemm transposed, alpha, beta", () -> Golden.check(gemm(11, true, true, new int[] {1, 5},
                        n -> n.intAttr("transA", 1).intAttr("transB", 1).floatAttr("alpha", 0.5f).floatAttr("beta", 2f), r))),
                dynamicTest("Gemm scalar C", () -> Golden.check(gemm(13, false, true, new int[] {1},
                        n -> n.intAttr("transB", 1), r))),
                dynamicTest("Gemm without C", () -> Golden.check(gemm(13, false, false, null, n -> { }, r))),
                dynamicTest("MatMul batched", () -> Golden.check(matMul(13, new int[] {2, 3, 4}, new int[] {4, 5}))),
                dynamicTest("MatMul broadcast batch", () -> Golden.check(matMul(9, new int[] {2, 1, 3, 4}, new int[] {3, 4, 2}))),
                dynamicTest("MatMul vector", () -> Golden.check(matMul(13, new int[] {4}, new int[] {2, 4, 3}))));
    }

    @TestFactory
    Stream<DynamicTest> batchNormAndSoftmax() {
        return Stream.of(
                dynamicTest("BatchNormalization opset 9", () -> Golden.check(batchNorm(9))),
                dynamicTest("BatchNormalization opset 15", () -> Golden.check(batchNorm(15))),
                dynamicTest("Softmax opset 11 axis 1", () -> Golden.check(softmax(11, "Softmax", 1))),
                dynamicTest("Softmax opset 11 axis 0", () -> Golden.check(softmax(11, "Softmax", 0))),
                dynamicTest("Softmax opset 11 default axis", () -> Golden.check(softmax(11, "Softmax", null))),
                dynamicTest("LogSoftmax opset 9 axis -1", () -> Golden.check(softmax(9, "LogSoftmax", -1))),
                dynamicTest("LogSoftmax opset 11 axis 1", () -> Golden.check(softmax(11, "LogSoftmax", 1))),
                dynamicTest("Softmax opset 13 axis 1", () -> Golden.check(softmax(13, "Softmax", 1))),
                dynamicTest("Softmax opset 13 default axis", () -> Golden.check(softmax(13, "Softmax", null))),
                dynamicTest("LogSoftmax opset 21 axis 0", () -> Golden.check(softmax(21, "LogSoftmax", 0))));
    }

    private static OnnxModelBuilder conv(int opset, int[] x, int[] w, boolean bias,
                                         Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        Random r = new Random(3);
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", x);
        m.initializer("w", random(r, size(w)), w);
        OnnxModelBuilder.NodeBuilder n = m.node("Conv").outputs("y");
        if (bias) {
            m.initializer("b", random(r, w[0]), w[0]);
            n.inputs("x", "w", "b");
        } else {
            n.inputs("x", "w");
        }
        attrs.accept(n);
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder pool(int opset, String op, int[] x, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return ShapeOpsImportTest.single(opset, op, x, n -> attrs.accept(n.inputs("x")), m -> { });
    }

    /** A [3,4] x B + C, with A and B laid out for the transposes. */
    private static OnnxModelBuilder gemm(int opset, boolean transA, boolean transB, int[] c,
                                         Consumer<OnnxModelBuilder.NodeBuilder> attrs, Random r) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("a", transA ? new int[] {4, 3} : new int[] {3, 4});
        m.initializer("b", random(r, 20), transB ? new int[] {5, 4} : new int[] {4, 5});
        OnnxModelBuilder.NodeBuilder n = m.node("Gemm").outputs("y");
        if (c != null) {
            m.initializer("c", random(r, size(c)), c);
            n.inputs("a", "b", "c");
        } else {
            n.inputs("a", "b");
        }
        attrs.accept(n);
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder matMul(int opset, int[] a, int[] b) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("a", a).input("b", b);
        m.node("MatMul").inputs("a", "b").outputs("y");
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder batchNorm(int opset) {
        Random r = new Random(5);
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(opset);
        m.input("x", 2, 3, 4, 2);
        m.initializer("s", random(r, 3), 3).initializer("b", random(r, 3), 3).initializer("m", random(r, 3), 3);
        m.initializer("v", new float[] {0.5f, 1f, 2f}, 3);
        m.node("BatchNormalization").inputs("x", "s", "b", "m", "v").outputs("y").floatAttr("epsilon", 1e-3f);
        m.output("y");
        return m;
    }

    private static OnnxModelBuilder softmax(int opset, String op, Integer axis) {
        return ShapeOpsImportTest.single(opset, op, new int[] {2, 3, 4}, n -> {
            n.inputs("x");
            if (axis != null) {
                n.intAttr("axis", axis);
            }
        }, m -> { });
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    static int size(int[] dims) {
        int s = 1;
        for (int d : dims) {
            s *= d;
        }
        return s;
    }
}
