package dev.bnnc.ir.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Op;
import java.util.List;
import java.util.Random;

/** Tensor builders and exact comparisons for the interpreter tests. */
final class TestTensors {
    private TestTensors() {}

    static int[] dims(int... d) {
        return d;
    }

    static Tensor f32(int[] shape, float... values) {
        return Tensor.ofFloats(Shape.of(shape), values);
    }

    static Tensor i64(int[] shape, long... values) {
        return Tensor.ofLongs(Shape.of(shape), values);
    }

    /** 1, 2, 3, ... in the given shape. */
    static Tensor iota(int... shape) {
        float[] v = new float[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return Tensor.adoptFloats(Shape.of(shape), v);
    }

    /** Uniform floats in [-1, 1), reproducible from the seed. */
    static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        float[] v = new float[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.adoptFloats(Shape.of(shape), v);
    }

    /** The single result of {@code op} on the inputs. */
    static Tensor eval(Op op, Tensor... inputs) {
        List<Tensor> out = Interpreter.evaluate(op, List.of(inputs));
        assertEquals(1, out.size(), "number of results");
        return out.get(0);
    }

    /** Same type and bit-identical elements. */
    static void assertTensor(Tensor expected, Tensor actual) {
        assertEquals(expected.type(), actual.type(), "type");
        if (expected.dtype() == DType.F32) {
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
        } else {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray());
        }
    }

    /** Same type and elements within {@code tolerance} (for transcendental functions). */
    static void assertClose(Tensor expected, Tensor actual, double tolerance) {
        assertEquals(expected.type(), actual.type(), "type");
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), (float) tolerance);
    }
}
