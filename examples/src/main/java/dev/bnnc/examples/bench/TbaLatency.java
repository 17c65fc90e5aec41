package dev.bnnc.examples.bench;

import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Thinnable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The thinnable BiFSMN (per-width graphs merged into one artifact, as {@code --variant} does),
 * generated Java, run at each interval: batch 1, one thread. Run from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 1)
public class TbaLatency {
    private static final Path DIR = Path.of("examples/bifsmn");

    @Param({"1", "2", "4", "8"})
    int interval;

    private GeneratedJava model;
    private final float[] mel = new float[32 * 32];
    private final float[] logits = new float[12];

    @Setup
    public void setup() {
        Random random = new Random(1);
        for (int i = 0; i < mel.length; i++) {
            mel[i] = random.nextFloat() * 2 - 1;
        }
        Map<Integer, Compilation> widths = new TreeMap<>();
        for (int l : List.of(2, 4, 8)) {
            widths.put(l, compile("bifsmn_tba_L" + l + ".onnx"));
        }
        model = new GeneratedJava(Thinnable.merge(compile("bifsmn_tba_L1.onnx"), widths, Optional.empty()), interval);
    }

    private static Compilation compile(String file) {
        return ModelCompiler.compile(DIR.resolve(file), ModelCompiler.Options.defaults());
    }

    @Benchmark
    public float[] bifsmnTbaBnncJava() {
        model.run(mel, logits);
        return logits;
    }
}
