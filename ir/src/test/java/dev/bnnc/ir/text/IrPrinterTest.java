package dev.bnnc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrPrinterTest {
    private static Graph convGraph() {
        GraphBuilder b = new GraphBuilder("main");
        Value x = b.input("x", TensorType.f32(1, 3, 8, 8));
        Value w = b.constant("w", Tensor.ofFloats(Shape.of(2, 3, 1, 1), 0.5f, -1f, 2f, 0f, 1f, 3f));
        Value c = b.add("conv1", new Conv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1), List.of(x, w),
                List.of("c")).output();
        Value y = b.add("y", new Unary(UnaryFn.RELU), c);
        Value g = b.add("g", new Gather(1, Tensor.ofLongs(Shape.of(2), 1, 0)), y);
        b.add("split", new Split(1, List.of(1, 1)), List.of(g), List.of("a", "b")).outputs().forEach(b::output);
        return b.build();
    }

    @Test
    void printsOneLinePerNodeWithTypes() {
        assertEquals("""
                graph main(%x: f32[1,3,8,8]) -> (%a, %b) {
                  %w = Constant {value = dense<f32[2,3,1,1]> [0.5, -1.0, 2.0, 0.0, 1.0, 3.0]} : f32[2,3,1,1]
                  %c = Conv @conv1 {strides = [1,1], pads = [0,0,0,0], dilations = [1,1], group = 1} (%x, %w) : f32[1,2,8,8]
                  %y = Unary {fn = RELU} (%c) : f32[1,2,8,8]
                  %g = Gather {axis = 1, indices = dense<i64[2]> [1, 0]} (%y) : f32[1,2,8,8]
                  %a, %b = Split @split {axis = 1, sizes = [1,1]} (%g) : f32[1,1,8,8], f32[1,1,8,8]
                }
                """, IrPrinter.print(convGraph()));
    }

    @Test
    void elidesTensorsAboveTheThreshold() {
        String text = IrPrinter.print(convGraph(), 2);
        assertEquals("  %w = Constant {value = dense<f32[2,3,1,1]> <elided 6 values>} : f32[2,3,1,1]",
                text.lines().toList().get(1));
        assertEquals("  %g = Gather {axis = 1, indices = dense<i64[2]> [1, 0]} (%y) : f32[1,2,8,8]",
                text.lines().toList().get(4));
        assertEquals(IrPrinter.print(convGraph()), IrPrinter.print(convGraph(), 6));
        assertThrows(IrSyntaxException.class, () -> IrParser.parse(text));
    }

    @Test
    void writesToAnAppendable() throws IOException {
        StringBuilder out = new StringBuilder("// dump\n");
        IrPrinter.write(convGraph(), 0, out);
        assertEquals("// dump\n" + IrPrinter.print(convGraph(), 0), out.toString());
    }

    @Test
    void printsLargeTensorsInLinearTime() {
        float[] data = new float[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.25f;
        }
        GraphBuilder b = new GraphBuilder("big");
        b.output(b.constant("c", Tensor.adoptFloats(Shape.of(data.length), data)));
        Graph g = b.build();
        long start = System.nanoTime();
        String text = IrPrinter.print(g);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // Quadratic building would take minutes; linear takes well under a second.
        assertTrue(millis < 5_000, "printing took " + millis + " ms");
        assertTrue(text.endsWith(", 262143.75]} : f32[1048576]\n}\n"), text.substring(text.length() - 60));
    }
}
