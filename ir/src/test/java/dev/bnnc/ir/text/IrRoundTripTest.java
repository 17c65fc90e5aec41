package dev.bnnc.ir.text;

import static dev.bnnc.ir.text.GraphAssertions.assertSameGraph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Op;
import dev.bnnc.ir.ops.OpClasses;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IrRoundTripTest {
    /** print → parse gives an equal graph, and printing that gives the same text. */
    private static Graph assertRoundTrip(Graph g) {
        String text = IrPrinter.print(g);
        Graph parsed = IrParser.parse(text);
        assertSameGraph(g, parsed);
        assertEquals(text, IrPrinter.print(parsed));
        return parsed;
    }

    @Test
    void everyOpRoundTrips() {
        Graph g = EveryOpGraph.build();
        Set<Class<?>> covered = g.nodes().stream().map(n -> n.op().getClass()).collect(Collectors.toSet());
        Set<Class<?>> missing = new HashSet<>(OpClasses.all());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "EveryOpGraph lacks a node of " + missing);
        assertRoundTrip(g);
    }

    @Test
    void specialFloatsRoundTripExactly() {
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f, 1f / 3,
            1e-5f, 16777216f, 2.0E-3f, 1.0E7f};
        GraphBuilder b = new GraphBuilder("floats");
        Value x = b.input("x", TensorType.f32(2));
        Value c = b.constant("c", Tensor.ofFloats(Shape.of(specials.length), specials));
        Value clip = b.add("clip", new Clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY), x);
        Value negZero = b.add("neg_zero", new LeakyRelu(-0.0f), clip);
        Value nan = b.add("nan", new LeakyRelu(Float.NaN), negZero);
        b.output(c);
        b.output(nan);
        Graph parsed = assertRoundTrip(b.build());

        // Record and tensor equality compare float bits (-0.0 differs from 0.0), but check explicitly.
        Tensor t = parsed.constant(parsed.outputs().get(0)).orElseThrow();
        for (int i = 0; i < specials.length; i++) {
            assertEquals(Float.floatToIntBits(specials[i]), Float.floatToIntBits(t.floatAt(i)), "element " + i);
        }
        LeakyRelu negZeroOp = (LeakyRelu) parsed.node("neg_zero").orElseThrow().op();
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(negZeroOp.alpha()));
        String text = IrPrinter.print(parsed);
        assertTrue(text.contains("Clip {min = -Infinity, max = Infinity}"), text);
        assertTrue(text.contains("[NaN, Infinity, -Infinity, -0.0, 0.0, 1.4E-45, "), text);
    }

    @Test
    void randomFloatBitPatternsRoundTripExactly() {
        Random random = new Random(7);
        float[] data = new float[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = Float.intBitsToFloat(random.nextInt());
        }
        GraphBuilder b = new GraphBuilder("random");
        b.output(b.constant("c", Tensor.ofFloats(Shape.of(64, 64), data)));
        Graph parsed = assertRoundTrip(b.build());
        Tensor t = parsed.constant(parsed.outputs().get(0)).orElseThrow();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isNaN(data[i])) { // NaN payloads are not kept: the text has one NaN
                assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(t.floatAt(i)), "element " + i);
            }
        }
    }

    @Test
    void integerTensorsKeepTheirExtremes() {
        GraphBuilder b = new GraphBuilder("longs");
        Value x = b.input("x", TensorType.f32(4, 2));
        b.output(b.constant("c", Tensor.ofLongs(Shape.of(3), Long.MIN_VALUE, 0, Long.MAX_VALUE)));
        b.output(b.add("g", new Gather(0, Tensor.ofLongs(Shape.scalar(), 3)), x));
        b.output(b.constant("empty", Tensor.ofLongs(Shape.of(0, 2))));
        assertRoundTrip(b.build());
    }

    @Test
    void namesThatAreNotIdentifiersAreQuoted() {
        GraphBuilder b = new GraphBuilder("torch-jit export");
        Value x = b.input("functional_1/conv2d/BiasAdd:0", TensorType.f32(2));
        Value digits = b.add("0", new Unary(UnaryFn.NEG), x);
        Node odd = b.add("a \"quoted\" \\ name\twith\ntabs", new Unary(UnaryFn.ABS), List.of(digits),
                List.of("input.1"));
        b.output(odd.output());
        Graph parsed = assertRoundTrip(b.build());
        assertEquals("""
                graph "torch-jit export"(%"functional_1/conv2d/BiasAdd:0": f32[2]) -> (%input.1) {
                  %0 = Unary {fn = NEG} (%"functional_1/conv2d/BiasAdd:0") : f32[2]
                  %input.1 = Unary @"a \\"quoted\\" \\\\ name\\twith\\ntabs" {fn = ABS} (%0) : f32[2]
                }
                """, IrPrinter.print(parsed));
    }

    @Test
    void keywordGraphNamesAreQuoted() {
        GraphBuilder b = new GraphBuilder("graph");
        b.output(b.input("x", TensorType.f32()));
        assertEquals("graph \"graph\"(%x: f32[]) -> (%x) {\n}\n", IrPrinter.print(assertRoundTrip(b.build())));
    }
}
