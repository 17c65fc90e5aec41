package dev.bnnc.frontend.onnx;

import static dev.bnnc.frontend.onnx.ShapeOpsImportTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Softmax;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ElementwiseImportTest {
    @Test
    void parameterlessFunctions() {
        Map<String, UnaryFn> fns = Map.ofEntries(Map.entry("Relu", UnaryFn.RELU), Map.entry("Sigmoid", UnaryFn.SIGMOID),
                Map.entry("Tanh", UnaryFn.TANH), Map.entry("Exp", UnaryFn.EXP), Map.entry("Log", UnaryFn.LOG),
                Map.entry("Sqrt", UnaryFn.SQRT), Map.entry("Neg", UnaryFn.NEG), Map.entry("Abs", UnaryFn.ABS),
                Map.entry("Sign", UnaryFn.SIGN), Map.entry("Softplus", UnaryFn.SOFTPLUS),
                Map.entry("Softsign", UnaryFn.SOFTSIGN), Map.entry("Reciprocal", UnaryFn.RECIPROCAL),
                Map.entry("Floor", UnaryFn.FLOOR), Map.entry("Ceil", UnaryFn.CEIL), Map.entry("Round", UnaryFn.ROUND));
        fns.forEach((op, fn) -> assertEquals(new Unary(fn), op(13, op, n -> { }), op));
    }

    @Test
    void activationsWithAttributes() {
        assertEquals(new LeakyRelu(0.01f), op(13, "LeakyRelu", n -> { }));
        assertEquals(new LeakyRelu(0.2f), op(13, "LeakyRelu", n -> n.floatAttr("alpha", 0.2f)));
        assertEquals(new Elu(1f), op(13, "Elu", n -> { }));
        assertEquals(new Selu(1.6732632f, 1.050701f), op(13, "Selu", n -> { }));
        assertEquals(new Selu(2f, 3f), op(13, "Selu", n -> n.floatAttr("alpha", 2f).floatAttr("gamma", 3f)));
    }

    @Test
    void clipBoundsFromAttributesOrConstantInputs() {
        assertEquals(new Clip(-Float.MAX_VALUE, Float.MAX_VALUE), op(9, "Clip", n -> { }));
        assertEquals(new Clip(-1f, Float.MAX_VALUE), op(9, "Clip", n -> n.floatAttr("min", -1f)));
        assertEquals(new Clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY), op(11, "Clip", n -> { }));
        assertEquals(new Clip(Float.NEGATIVE_INFINITY, 6f), Imports.onlyOp(Imports.of(single(13, "Clip", new int[] {2},
                n -> n.inputs("x", "", "hi"), m -> m.initializer("hi", new float[] {6f})))));
        assertEquals(new Clip(0f, 6f), Imports.onlyOp(Imports.of(single(13, "Clip", new int[] {2},
                n -> n.inputs("x", "lo", "hi"), m -> m.initializer("lo", new float[] {0f}).initializer("hi", new float[] {6f})))));
    }

    @Test
    void softmaxBeforeOpset13FlattensAtTheAxis() {
        assertEquals(new Softmax(2, false), op(11, "Softmax", n -> n.intAttr("axis", -1)));
        Graph legacy = Imports.of(single(11, "LogSoftmax", new int[] {2, 3, 4}, n -> n.inputs("x"), m -> { }));
        assertEquals(List.of(new Reshape(List.of(2, 12)), new Softmax(1, true), new Reshape(List.of(2, 3, 4))),
                Imports.ops(legacy));
        assertEquals("n", Imports.outputNode(legacy).name());
        assertEquals(new Softmax(2, false), op(13, "Softmax", n -> { }));
        assertEquals(new Softmax(1, true), op(13, "LogSoftmax", n -> n.intAttr("axis", 1)));
    }

    @Test
    void binariesAndVariadicChains() {
        for (Map.Entry<String, BinaryFn> e : Map.of("Add", BinaryFn.ADD, "Sub", BinaryFn.SUB, "Mul", BinaryFn.MUL,
                "Div", BinaryFn.DIV, "Pow", BinaryFn.POW, "PRelu", BinaryFn.PRELU, "Max", BinaryFn.MAX,
                "Min", BinaryFn.MIN).entrySet()) {
            assertEquals(new Binary(e.getValue()), Imports.onlyOp(Imports.of(variadic(e.getKey(), 2))), e.getKey());
        }
        assertEquals(List.of(new Binary(BinaryFn.ADD), new Binary(BinaryFn.ADD)), Imports.ops(Imports.of(variadic("Sum", 3))));
        assertEquals(List.of(new Binary(BinaryFn.MIN), new Binary(BinaryFn.MIN), new Binary(BinaryFn.MIN)),
                Imports.ops(Imports.of(variadic("Min", 4))));
        assertEquals(new Identity(), Imports.onlyOp(Imports.of(variadic("Max", 1))));
        Graph mean = Imports.of(variadic("Mean", 3));
        assertEquals(List.of(new Binary(BinaryFn.ADD), new Binary(BinaryFn.ADD), new Binary(BinaryFn.DIV)), Imports.ops(mean));
        Node div = Imports.outputNode(mean);
        assertEquals(Tensor.scalar(3f), mean.constant(div.input(1)).orElseThrow());
    }

    @Test
    void powWithIntegerExponentCastsIt() {
        Graph g = Imports.of(single(13, "Pow", new int[] {3}, n -> n.inputs("x", "e"),
                m -> m.initializer("e", new long[] {2}, 1)));
        assertEquals(List.of(new Cast(DType.F32), new Binary(BinaryFn.POW)), Imports.ops(g));
    }

    @Test
    void castIdentityAndDropout() {
        assertEquals(new Cast(DType.I64), op(13, "Cast", n -> n.intAttr("to", 6)));
        assertEquals(new Cast(DType.F32), op(13, "Cast", n -> n.intAttr("to", 11)));
        Graph toBool = Imports.of(single(13, "Cast", new int[] {2}, n -> n.inputs("x").intAttr("to", 9), m -> { }));
        assertEquals(List.of(new Unary(UnaryFn.ABS), new Unary(UnaryFn.SIGN), new Cast(DType.I64)), Imports.ops(toBool));
        assertEquals("node 'n' (Cast): a cast to FLOAT16 is not supported",
                Imports.error(single(13, "Cast", new int[] {2}, n -> n.inputs("x").intAttr("to", 10), m -> { })));
        assertEquals("node 'n' (Cast): a cast to STRING is not supported",
                Imports.error(single(13, "Cast", new int[] {2}, n -> n.inputs("x").intAttr("to", 8), m -> { })));

        assertEquals(new Identity(), op(13, "Identity", n -> { }));
        assertEquals(new Identity(), op(9, "Dropout", n -> n.floatAttr("ratio", 0.3f)));
        OnnxModelBuilder training = single(13, "Dropout", new int[] {2}, n -> n.inputs("x", "r", "t"),
                m -> m.initializer("r", new float[] {0.5f}).initializer("t", Tensor.ofLongs(Shape.scalar(), 1)));
        assertEquals("node 'n' (Dropout): training_mode = true is not supported", Imports.error(training));
    }

    @Test
    void reduceAxesFromAttributeOrInputPerOpset() {
        assertEquals(new Reduce(ReduceFn.MEAN, List.of(0, 2), true), op(13, "ReduceMean", n -> n.intsAttr("axes", -1, 0)));
        assertEquals(new Reduce(ReduceFn.L2, List.of(0, 1, 2), false), op(13, "ReduceL2", n -> n.intAttr("keepdims", 0)));
        assertEquals(new Reduce(ReduceFn.SUM, List.of(1), true), op(11, "ReduceSum", n -> n.intsAttr("axes", 1)));
        assertEquals(new Reduce(ReduceFn.SUM, List.of(1), false), Imports.onlyOp(Imports.of(single(13, "ReduceSum",
                new int[] {2, 3, 4}, n -> n.inputs("x", "a").intAttr("keepdims", 0), m -> m.initializer("a", new long[] {1}, 1)))));
        assertEquals(new Identity(), op(13, "ReduceSum", n -> n.intAttr("noop_with_empty_axes", 1)));
        assertEquals(new Reduce(ReduceFn.LOG_SUM_EXP, List.of(0, 1), true), Imports.onlyOp(Imports.of(single(18,
                "ReduceLogSumExp", new int[] {2, 3, 4}, n -> n.inputs("x", "a"), m -> m.initializer("a", new long[] {1, 0}, 2)))));
        assertEquals(new Reduce(ReduceFn.PROD, List.of(0, 1, 2), true), op(18, "ReduceProd", n -> { }));
        Map<String, ReduceFn> fns = Map.of("ReduceMax", ReduceFn.MAX, "ReduceMin", ReduceFn.MIN, "ReduceL1", ReduceFn.L1,
                "ReduceSumSquare", ReduceFn.SUM_SQUARE);
        fns.forEach((opType, fn) -> assertEquals(new Reduce(fn, List.of(1), true), op(13, opType, n -> n.intsAttr("axes", 1))));
    }

    @Test
    void constantsShapesAndSizesAreDefinedConstants() {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(15);
        m.input("x", 2, 3, 4);
        m.node("Constant").outputs("c1").floatAttr("value_float", 2.5f);
        m.node("Constant").outputs("c2").intsAttr("value_ints", 1, 2);
        m.node("Constant").outputs("c3").floatsAttr("value_floats", 1, 2);
        m.node("Constant").outputs("c4").intAttr("value_int", 7);
        m.node("Constant").outputs("c5").tensorAttr("value", Tensor.ofFloats(Shape.of(1), 4f));
        m.node("Shape").inputs("x").outputs("s");
        m.node("Shape").inputs("x").outputs("s2").intAttr("start", -2).intAttr("end", 10);
        m.node("Size").inputs("x").outputs("n");
        m.node("ConstantOfShape").inputs("s2").outputs("f")
                .tensorAttr("value", Tensor.ofLongs(Shape.of(1), 9));
        m.node("ConstantOfShape").inputs("c2").outputs("z");
        for (String o : new String[] {"c1", "c2", "c3", "c4", "c5", "s", "s2", "n", "f", "z"}) {
            m.output(o);
        }
        Graph g = Imports.of(m);
        List<Tensor> values = g.outputs().stream().map(v -> g.constant(v).orElseThrow()).toList();
        assertEquals(List.of(Tensor.scalar(2.5f), longs(1, 2), Tensor.ofFloats(Shape.of(2), 1, 2),
                Tensor.ofLongs(Shape.scalar(), 7), Tensor.ofFloats(Shape.of(1), 4f), longs(2, 3, 4),
                longs(3, 4), Tensor.ofLongs(Shape.scalar(), 24),
                Tensor.filled(TensorType.i64(3, 4), 9), Tensor.filled(TensorType.f32(1, 2), 0)), values);
        // Constant nodes keep the ONNX node names.
        assertInstanceOf(Constant.class, g.node("Shape_5").orElseThrow().op());
    }

    private static Tensor longs(long... v) {
        return Tensor.ofLongs(Shape.of(v.length), v);
    }

    private static OnnxModelBuilder variadic(String op, int inputs) {
        OnnxModelBuilder m = new OnnxModelBuilder("g").opset(13);
        String[] names = new String[inputs];
        for (int i = 0; i < inputs; i++) {
            names[i] = "x" + i;
            m.input(names[i], 2, 3);
        }
        m.node(op).inputs(names).outputs("y");
        m.output("y");
        return m;
    }

    private static Op op(int opset, String op, Consumer<OnnxModelBuilder.NodeBuilder> attrs) {
        return Imports.onlyOp(Imports.of(single(opset, op, new int[] {2, 3, 4}, n -> attrs.accept(n.inputs("x")), m -> { })));
    }
}
