package dev.bnnc.cli.verify;

import dev.bnnc.backends.c.CProgram;
import dev.bnnc.backends.c.CSources;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.ir.Graph;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated C, built once with a toolchain and its test driver, then run on many cases in one
 * process per call (and, for a thinnable model, at any of its intervals). {@link #close} deletes
 * the build.
 */
public final class GeneratedC implements AutoCloseable {
    private final CProgram program;
    private final Graph graph;

    private GeneratedC(CProgram program, Graph graph) {
        this.program = program;
        this.graph = graph;
    }

    /** {@code sources}, generated for {@code g}, built with {@code toolchain}. */
    public static GeneratedC build(CSources sources, Graph g, CToolchain toolchain) {
        int[] inSizes = g.inputs().stream().mapToInt(v -> v.type().size()).toArray();
        int[] outSizes = g.outputs().stream().mapToInt(v -> v.type().size()).toArray();
        return new GeneratedC(toolchain.build(sources, inSizes, outSizes), g);
    }

    /** The outputs on each case, at {@code interval} if the model is thinnable (else null). */
    public List<List<Tensor>> run(List<List<Tensor>> cases, Integer interval) {
        List<float[][]> raw = new ArrayList<>();
        for (List<Tensor> c : cases) {
            raw.add(c.stream().map(Tensor::toFloatArray).toArray(float[][]::new));
        }
        List<List<Tensor>> results = new ArrayList<>();
        for (float[][] outs : program.run(raw, interval)) {
            List<Tensor> r = new ArrayList<>();
            for (int k = 0; k < outs.length; k++) {
                Value v = graph.outputs().get(k);
                r.add(Tensor.adoptFloats(v.type().shape(), outs[k]));
            }
            results.add(r);
        }
        return results;
    }

    @Override
    public void close() {
        program.close();
    }
}
