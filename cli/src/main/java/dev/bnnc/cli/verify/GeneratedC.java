package dev.bnnc.cli.verify;

import dev.bnnc.backends.c.CProgram;
import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Generated C, built with a toolchain and its test driver, run on many cases in one process. */
public final class GeneratedC {
    private GeneratedC() {}

    /**
     * The outputs of {@code sources} (generated for {@code g}) on each case, built and run with
     * {@code toolchain}, at {@code interval} if the model is thinnable (else null).
     */
    public static List<List<Tensor>> run(CSources sources, Graph g, CToolchain toolchain, List<List<Tensor>> cases,
                                         Integer interval) {
        int[] inSizes = g.inputs().stream().mapToInt(v -> v.type().size()).toArray();
        int[] outSizes = g.outputs().stream().mapToInt(v -> v.type().size()).toArray();
        List<float[][]> raw = new ArrayList<>();
        for (List<Tensor> c : cases) {
            raw.add(c.stream().map(Tensor::toFloatArray).toArray(float[][]::new));
        }
        List<List<Tensor>> results = new ArrayList<>();
        try (CProgram program = toolchain.build(sources, inSizes, outSizes)) {
            for (float[][] outs : program.run(raw, interval)) {
                List<Tensor> r = new ArrayList<>();
                for (int k = 0; k < outs.length; k++) {
                    Value v = g.outputs().get(k);
                    r.add(Tensor.adoptFloats(v.type().shape(), outs[k]));
                }
                results.add(r);
            }
        }
        return results;
    }
}
