package dev.bnnc.backends.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Dense;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import dev.bnnc.passes.plan.BufferPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaBackendSmokeTest {
    @Test
    void convReluDenseMatchesHandComputation() throws Exception {
        GraphBuilder b = new GraphBuilder("smoke");
        Value x = b.input("x", TensorType.f32(1, 1, 3, 3));
        Value w = b.constant("w", Tensor.ofFloats(Shape.of(1, 1, 2, 2), 1, 2, 3, 4));
        Value bias = b.constant("b", Tensor.ofFloats(Shape.of(1), -20));
        Value c = b.add("conv", new Conv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1), x, w, bias);
        Value r = b.add("relu", new Unary(UnaryFn.RELU), c);
        Value flat = b.add("flat", new Reshape(List.of(1, 4)), r);
        Value dw = b.constant("dw", Tensor.ofFloats(Shape.of(4, 2), 1, 0, 0, 1, 1, 0, 0, 1));
        b.output(b.add("dense", new Dense(), flat, dw));
        Graph g = b.build();

        String source = JavaBackend.generate(BufferPlanner.plan(g), "t", "Smoke", "a test graph");
        Class<?> cls = JavaSourceCompiler.compile("t.Smoke", source);
        Object model = cls.getConstructor().newInstance();
        float[] out = (float[]) cls.getMethod("run", float[].class).invoke(model, (Object) new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        // conv: [[37, 47], [67, 77]] - 20 = [[17, 27], [47, 57]]; dense sums columns 0,2 and 1,3.
        assertArrayEquals(new float[] {17 + 47, 27 + 57}, out);
    }
}
