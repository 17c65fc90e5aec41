package dev.bnnc.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.Verifier;
import dev.bnnc.ir.interp.Interpreter;
import dev.bnnc.ir.text.IrParser;
import dev.bnnc.ir.text.IrPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers for pass tests that read like lit tests: this IR in, that IR out, same results. */
final class PassTesting {
    private PassTesting() {}

    /** Parses {@code before}, runs {@code pass}, and checks the printed result equals {@code after}. */
    static Graph assertRewrites(Pass pass, String before, String after) {
        Graph in = IrParser.parse(before);
        Graph out = pass.run(in, new PassContext());
        Verifier.verify(out);
        assertEquals(IrPrinter.print(IrParser.parse(after)), IrPrinter.print(out));
        return out;
    }

    /** Checks two graphs compute the same outputs on random inputs, within {@code tolerance} (absolute; packed signs exactly). */
    static void assertSameResults(Graph expected, Graph actual, double tolerance) {
        Random random = new Random(7);
        for (int trial = 0; trial < 3; trial++) {
            List<Tensor> in = new ArrayList<>();
            for (Value v : expected.inputs()) {
                float[] data = new float[v.type().size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = random.nextFloat() * 2 - 1;
                }
                in.add(Tensor.adoptFloats(v.type().shape(), data));
            }
            List<Tensor> a = Interpreter.run(expected, in);
            List<Tensor> b = Interpreter.run(actual, in);
            for (int k = 0; k < a.size(); k++) {
                if (a.get(k).dtype() == DType.BITS) {
                    assertArrayEquals(a.get(k).toLongArray(), b.get(k).toLongArray(), "output " + k);
                    continue;
                }
                for (int i = 0; i < a.get(k).size(); i++) {
                    assertEquals(a.get(k).floatAt(i), b.get(k).floatAt(i), tolerance, "output " + k + " element " + i);
                }
            }
        }
    }
}
