package dev.bnnc.passes;

import static dev.bnnc.passes.PassTesting.assertRewrites;
import static dev.bnnc.passes.PassTesting.assertSameResults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.ops.FactoredDense;
import dev.bnnc.ir.text.IrParser;
import dev.bnnc.ir.text.IrPrinter;
import dev.bnnc.passes.deepthin.DeepThinCompress;
import dev.bnnc.passes.deepthin.DeepThinImport;
import dev.bnnc.passes.deepthin.Factorization;
import dev.bnnc.passes.deepthin.ImportMode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeepThinTest {
    /** F.linear(x, reshape(flatten(U·V)[:12], [3, 4])) on 3-D input: MatMul through a Transpose. */
    private static final String LINEAR = """
            graph g(%x: f32[1,2,4]) -> (%y) {
              %u = Constant {value = dense<f32[3,1]> [1.0, -2.0, 0.5]} : f32[3,1]
              %v = Constant {value = dense<f32[1,5]> [1.0, 2.0, -1.0, 0.25, 3.0]} : f32[1,5]
              %p = MatMul (%u, %v) : f32[3,5]
              %flat = Reshape {shape = [15]} (%p) : f32[15]
              %cut = Slice {starts = [0], steps = [1], sizes = [12]} (%flat) : f32[12]
              %w = Reshape {shape = [3,4]} (%cut) : f32[3,4]
              %wt = Transpose {perm = [1,0]} (%w) : f32[4,3]
              %y = MatMul (%x, %wt) : f32[1,2,3]
            }
            """;

    @Test
    void importKeepsTheWeightFactored() {
        Graph out = assertRewrites(new DeepThinImport(ImportMode.AUTO), LINEAR, """
                graph g(%x: f32[1,2,4]) -> (%y) {
                  %u = Constant {value = dense<f32[3,1]> [1.0, -2.0, 0.5]} : f32[3,1]
                  %v = Constant {value = dense<f32[1,5]> [1.0, 2.0, -1.0, 0.25, 3.0]} : f32[1,5]
                  %y = FactoredDense {inFeatures = 4, outFeatures = 3, transposed = true} (%x, %u, %v) : f32[1,2,3]
                }
                """);
        // The same sums in the same order: bit for bit.
        assertSameResults(IrParser.parse(LINEAR), out, 0);
    }

    @Test
    void importOfGemmKeepsItsBiasForFoldBias() {
        String gemm = """
                graph g(%x: f32[2,6]) -> (%y) {
                  %u = Constant {value = dense<f32[4,1]> [1.0, -2.0, 0.5, 3.0]} : f32[4,1]
                  %v = Constant {value = dense<f32[1,4]> [1.0, 2.0, -1.0, 0.25]} : f32[1,4]
                  %b = Constant {value = dense<f32[2]> [0.5, -1.0]} : f32[2]
                  %p = MatMul (%u, %v) : f32[4,4]
                  %flat = Reshape {shape = [16]} (%p) : f32[16]
                  %cut = Slice {starts = [0], steps = [1], sizes = [12]} (%flat) : f32[12]
                  %w = Reshape {shape = [2,6]} (%cut) : f32[2,6]
                  %y = Gemm {alpha = 1.0, beta = 1.0, transA = false, transB = true} (%x, %w, %b) : f32[2,2]
                }
                """;
        Graph imported = assertRewrites(new DeepThinImport(ImportMode.KEEP), gemm, """
                graph g(%x: f32[2,6]) -> (%y) {
                  %u = Constant {value = dense<f32[4,1]> [1.0, -2.0, 0.5, 3.0]} : f32[4,1]
                  %v = Constant {value = dense<f32[1,4]> [1.0, 2.0, -1.0, 0.25]} : f32[1,4]
                  %b = Constant {value = dense<f32[2]> [0.5, -1.0]} : f32[2]
                  %y_factored = FactoredDense @y {inFeatures = 6, outFeatures = 2, transposed = true} (%x, %u, %v) : f32[2,2]
                  %y = Binary @y_c {fn = ADD} (%y_factored, %b) : f32[2,2]
                }
                """);
        assertSameResults(IrParser.parse(gemm), imported, 0);
        Graph folded = new FoldBias().run(imported, new PassContext());
        Node layer = folded.node("y").orElseThrow();
        assertEquals(new FactoredDense(6, 2, true), layer.op());
        assertEquals(4, layer.inputs().size(), "the bias folded in");
        assertSameResults(imported, folded, 0);
    }

    @Test
    void autoModeMultipliesOutFactorsThatAreNotSmaller() {
        // [4,2]·[2,4] holds 16 parameters for a 4×3 weight of 12: not worth keeping.
        String bigger = """
                graph g(%x: f32[1,4]) -> (%y) {
                  %u = Constant {value = dense<f32[4,2]> [1.0, -2.0, 0.5, 3.0, 1.0, 1.0, 2.0, 0.0]} : f32[4,2]
                  %v = Constant {value = dense<f32[2,4]> [1.0, 2.0, -1.0, 0.25, 1.0, 0.0, 1.0, 2.0]} : f32[2,4]
                  %p = MatMul (%u, %v) : f32[4,4]
                  %flat = Reshape {shape = [16]} (%p) : f32[16]
                  %cut = Slice {starts = [0], steps = [1], sizes = [12]} (%flat) : f32[12]
                  %w = Reshape {shape = [4,3]} (%cut) : f32[4,3]
                  %y = MatMul (%x, %w) : f32[1,3]
                }
                """;
        PassContext context = new PassContext();
        Graph g = IrParser.parse(bigger);
        assertEquals(IrPrinter.print(g), IrPrinter.print(new DeepThinImport(ImportMode.AUTO).run(g, context)));
        assertTrue(context.remarks().get(0).message().contains("multiplied out"), context.remarks().toString());
        Graph kept = new DeepThinImport(ImportMode.KEEP).run(g, new PassContext());
        assertEquals(new FactoredDense(4, 3, false), kept.node("y").orElseThrow().op());
        Graph linear = IrParser.parse(LINEAR);
        assertSame(linear, new DeepThinImport(ImportMode.FOLD).run(linear, new PassContext()));
    }

    @Test
    void importLeavesAWeightThatIsAlsoUsedElsewhere() {
        String shared = LINEAR.replace("-> (%y)", "-> (%y, %w)");
        Graph g = IrParser.parse(shared);
        assertEquals(IrPrinter.print(g), IrPrinter.print(new DeepThinImport(ImportMode.KEEP).run(g, new PassContext())));
    }

    @Test
    void compressionFitsAReshapedLowRankWeightExactly() {
        // W [6, 8] is the first 48 values of a rank-1 7×7 product (whose 49th value is 0, as the
        // padding): DeepThin's shape for it (mf = nf = 7, nf coprime with 8) at rank 1 holds it
        // exactly, while W itself is far from rank 1.
        float[] u = {1, -2, 0.5f, 3, 1.5f, -1, 2};
        float[] v = {1, 2, -1, 0.25f, 3, -0.5f, 0};
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            w.append(i > 0 ? ", " : "").append(u[i / 7] * v[i % 7]);
        }
        String dense = """
                graph g(%x: f32[2,6]) -> (%y) {
                  %w = Constant {value = dense<f32[6,8]> [W]} : f32[6,8]
                  %b = Constant {value = dense<f32[8]> [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]} : f32[8]
                  %y = Dense @fc (%x, %w, %b) : f32[2,8]
                }
                """.replace("W]", w + "]");
        PassContext context = new PassContext();
        Graph in = IrParser.parse(dense);
        Graph out = new DeepThinCompress(0.3, Set.of()).run(in, context);
        Node fc = out.node("fc").orElseThrow();
        assertEquals(new FactoredDense(6, 8, false), fc.op());
        assertEquals("f32[7,1]", fc.input(1).type().toString());
        assertEquals("f32[1,7]", fc.input(2).type().toString());
        Factorization f = context.findings(Factorization.class).get(0);
        assertEquals(List.of(7, 7, 1, 14L), List.of(f.mf(), f.nf(), f.rank(), f.parameters()));
        assertTrue(f.relativeError() < 1e-6, "DeepThin error " + f.relativeError());
        assertEquals(1, f.plainRank());
        assertTrue(f.plainRelativeError() > 0.3, "plain rank-1 error " + f.plainRelativeError());
        assertSameResults(in, out, 1e-4);
    }

    @Test
    void compressionChecksItsRatioAndLayerNames() {
        Graph g = IrParser.parse("""
                graph g(%x: f32[1,64]) -> (%y) {
                  %w = Constant {value = dense<f32[64,64]> <elided 4096 values>} : f32[64,64]
                  %y = Dense @fc (%x, %w) : f32[1,64]
                }
                """.replace("<elided 4096 values>", zeros(4096)));
        assertThrows(IllegalArgumentException.class, () -> new DeepThinCompress(1.5, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new DeepThinCompress(0, Set.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeepThinCompress(0.1, Set.of("nope")).run(g, new PassContext()));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        // Rank 1 needs 2·65 parameters: more than 1% of 4096 allows, so the layer stays dense.
        PassContext context = new PassContext();
        assertEquals(g.nodes().size(), new DeepThinCompress(0.01, Set.of()).run(g, context).nodes().size());
        assertTrue(context.remarks().get(0).message().startsWith("kept dense"), context.remarks().toString());
    }

    private static String zeros(int n) {
        return "[" + String.join(", ", java.util.Collections.nCopies(n, "0.0")) + "]";
    }
}
