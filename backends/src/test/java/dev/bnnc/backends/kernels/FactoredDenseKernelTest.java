package dev.bnnc.backends.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.backends.c.CBackend;
import dev.bnnc.backends.c.CProgram;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.backends.java.JavaBackend;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.passes.plan.BufferPlanner;
import dev.bnnc.passes.plan.ExecutionPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tiled FactoredDense kernel against the interpreter, bit for bit (x86-64 C fuses no
 * multiply-add), for both orientations, a batch of rows, and weights that take several tiles whose
 * boundaries fall inside rows of the factor product.
 */
class FactoredDenseKernelTest {
    private final Random random = new Random(3);

    @Test
    void severalTilesBothOrientationsAndABatch() {
        // K = 70, N = 130: 31 rows of w per tile (3 tiles), or 58 outputs per tile (3 tiles) when transposed;
        // P = [95, 97] (97 coprime with both) holds 9215 >= 9100 values.
        for (boolean transposed : new boolean[] {false, true}) {
            Graph g = layer(new FactoredDense(70, 130, transposed), 3, 95, 4, 97);
            assertTrue(FactoredDenseKernel.TILE_FLOATS / (transposed ? 70 : 130) < (transposed ? 130 : 70), "several tiles");
            assertGeneratedEqualsInterpreter(g, "transposed " + transposed);
        }
    }

    @Test
    void rowsOfTheProductLongerThanATile() {
        assertGeneratedEqualsInterpreter(layer(new FactoredDense(100, 60, false), 1, 1, 2, 6000), "one long row of P");
    }

    @Test
    void factorsLargerThanABlockOfWf() {
        // wf [12, 6000] holds more than a block: rebuilt column block by column block.
        assertTrue(12 * 6000 > FactoredDenseKernel.WF_BLOCK_FLOATS);
        assertGeneratedEqualsInterpreter(layer(new FactoredDense(200, 60, true), 2, 2, 12, 6000), "wf in column blocks");
    }

    private Graph layer(FactoredDense op, int batch, int mf, int rank, int nf) {
        GraphBuilder b = new GraphBuilder("factored");
        Value x = b.input("x", TensorType.f32(batch, op.inFeatures()));
        Value xf = b.constant("xf", randomTensor(mf, rank));
        Value wf = b.constant("wf", randomTensor(rank, nf));
        Value bias = b.constant("bias", randomTensor(op.outFeatures()));
        b.output(b.add("fc", op, x, xf, wf, bias));
        return b.build();
    }

    private void assertGeneratedEqualsInterpreter(Graph g, String what) {
        Value in = g.inputs().get(0);
        List<float[]> cases = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            cases.add(randomTensor(in.type().shape().dims()).toFloatArray());
        }
        ExecutionPlan plan = BufferPlanner.plan(g);
        Class<?> cls = JavaSourceCompiler.compile("t.Factored", JavaBackend.generate(plan, "t", "Factored", "a test graph"));
        CToolchain host = CToolchain.host();
        List<float[][]> cOutputs = null;
        if (host.available()) {
            try (CProgram program = host.build(CBackend.generate(plan, "factored", "a test graph"),
                    new int[] {in.type().size()}, new int[] {g.outputs().get(0).type().size()})) {
                cOutputs = program.run(cases.stream().map(c -> new float[][] {c}).toList());
            }
        }
        try {
            Object model = cls.getConstructor().newInstance();
            for (int c = 0; c < cases.size(); c++) {
                float[] data = cases.get(c);
                float[] expected = Interpreter.run(g, List.of(Tensor.ofFloats(in.type().shape(), data))).get(0).toFloatArray();
                assertArrayEquals(expected, (float[]) cls.getMethod("run", float[].class).invoke(model, (Object) data),
                        what + ", Java, case " + c);
                String arch = System.getProperty("os.arch");
                if (cOutputs != null && (arch.equals("amd64") || arch.equals("x86_64"))) {
                    assertArrayEquals(expected, cOutputs.get(c)[0], what + ", C, case " + c);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private Tensor randomTensor(int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.adoptFloats(Shape.of(dims), v);
    }
}
