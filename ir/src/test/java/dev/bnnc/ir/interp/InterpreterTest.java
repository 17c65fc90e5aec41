package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertClose;
import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.i64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Softmax;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    /** x[1,3] → Dense(w, b) → Relu → Split into [1,1] and [1,2] → Softmax of the second part. */
    private static final class SmallNet {
        final Graph graph;
        final Value x;
        final Value dense;
        final Value relu;
        final Node split;
        final Value softmax;

        SmallNet() {
            GraphBuilder b = new GraphBuilder("small");
            x = b.input("x", TensorType.f32(1, 3));
            Value w = b.constant("w", f32(dims(3, 3), 1, 0, -1, 0, 1, 0, 0, 0, 1));
            Value bias = b.constant("b", f32(dims(3), 0.5f, 0, 0));
            dense = b.add("dense", new Dense(), x, w, bias);
            relu = b.add("relu", new Unary(UnaryFn.RELU), dense);
            split = b.add("split", new Split(1, List.of(1, 2)), List.of(relu), List.of("head", "tail"));
            softmax = b.add("softmax", new Softmax(1, false), split.outputs().get(1));
            b.output(split.outputs().get(0));
            b.output(softmax);
            graph = b.build();
        }
    }

    @Test
    void runReturnsTheGraphOutputsInOrder() {
        SmallNet net = new SmallNet();
        List<Tensor> out = Interpreter.run(net.graph, List.of(f32(dims(1, 3), 2, 3, -1)));
        // dense = [2 + 0.5, 3, -2 - 1] = [2.5, 3, -3]; relu = [2.5, 3, 0].
        assertEquals(2, out.size());
        assertTensor(f32(dims(1, 1), 2.5f), out.get(0));
        assertClose(f32(dims(1, 2), 0.95257413f, 0.04742587f), out.get(1), 1e-7);
    }

    @Test
    void runAllReturnsEveryValueInDefinitionOrder() {
        SmallNet net = new SmallNet();
        Tensor input = f32(dims(1, 3), 2, 3, -1);
        Map<Value, Tensor> all = Interpreter.runAll(net.graph, List.of(input));
        assertEquals(8, all.size());
        List<String> names = all.keySet().stream().map(Value::name).toList();
        assertEquals(List.of("x", "w", "b", "dense", "relu", "head", "tail", "softmax"), names);
        assertSame(input, all.get(net.x));
        assertTensor(f32(dims(1, 3), 2.5f, 3, -3), all.get(net.dense));
        assertTensor(f32(dims(1, 3), 2.5f, 3, 0), all.get(net.relu));
        assertTensor(f32(dims(1, 2), 3, 0), all.get(net.split.outputs().get(1)));
        assertEquals(Interpreter.run(net.graph, List.of(input)).get(1), all.get(net.softmax));
    }

    @Test
    void rejectsInputsOfTheWrongTypeOrNumber() {
        SmallNet net = new SmallNet();
        IrException wrongShape = assertThrows(IrException.class,
                () -> Interpreter.run(net.graph, List.of(f32(dims(1, 2), 1, 2))));
        assertTrue(wrongShape.getMessage().contains("%x"), wrongShape.getMessage());
        IrException wrongCount = assertThrows(IrException.class, () -> Interpreter.run(net.graph, List.of()));
        assertTrue(wrongCount.getMessage().contains("small"), wrongCount.getMessage());
    }

    @Test
    void nodeFailuresNameTheNode() {
        GraphBuilder b = new GraphBuilder("div");
        Value x = b.input("x", TensorType.i64(2));
        Value zero = b.constant("zero", i64(dims(), 0));
        b.output(b.add("quotient", new Binary(BinaryFn.DIV), x, zero));
        Graph g = b.build();
        IrException e = assertThrows(IrException.class, () -> Interpreter.run(g, List.of(i64(dims(2), 4, 6))));
        assertTrue(e.getMessage().startsWith("node quotient (Binary)"), e.getMessage());
    }

    @Test
    void checksNodeOutputTypes() {
        // A graph built by hand, bypassing the builder's inference, that claims a wrong output type.
        Value x = new Value("x", TensorType.f32(2));
        Value y = new Value("y", TensorType.f32(3));
        Graph g = new Graph("bad", List.of(x), List.of(y), List.of(new Node("neg", new Unary(UnaryFn.NEG), List.of(x),
                List.of(y))));
        IrException e = assertThrows(IrException.class, () -> Interpreter.run(g, List.of(f32(dims(2), 1, 2))));
        assertTrue(e.getMessage().startsWith("node neg") && e.getMessage().contains("%y"), e.getMessage());
    }

    @Test
    void evaluateChecksInputTypes() {
        Conv conv = new Conv(List.of(1), List.of(0, 0), List.of(1), 1);
        IrException e = assertThrows(IrException.class, () -> Interpreter.evaluate(conv,
                List.of(i64(dims(1, 1, 2), 1, 2), f32(dims(1, 1, 1), 1))));
        assertTrue(e.getMessage().startsWith("Conv"), e.getMessage());
        IrException arity = assertThrows(IrException.class, () -> Interpreter.evaluate(new Constant(f32(dims(1), 1)),
                List.of(f32(dims(1), 1))));
        assertTrue(arity.getMessage().startsWith("Constant"), arity.getMessage());
    }
}
