package dev.bnnc.examples.bench;

import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Thinnable;
import dev.bnnc.examples.kws.KeywordSpotter;
import dev.bnnc.examples.kws.LogMel;
import dev.bnnc.examples.kws.WavFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
 * The trained keyword spotters of {@code examples/bifsmn/kws} as the demo runs them (generated Java, batch 1,
 * one thread): the model alone on the log-mel features of a fixture clip, and the whole recognition of one
 * second of audio (features in Java + model). A row is MODEL:INTERVAL, MODEL the file prefix of the committed
 * models (the thinnable ones merged from their widths, as {@code --variant} does). Run from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class KwsLatency {
    private static final Path MODELS = Path.of("examples/bifsmn/kws/models");
    private static final Path CLIP = Path.of("examples/bifsmn/kws/fixtures/yes.wav");

    @Param({"fp:1", "hed:1", "hed:2", "hed:4", "hed:8", "nohed:1"})
    String row;

    private GeneratedJava model;
    private float[] samples;
    private float[] mel;
    private final float[] logits = new float[KeywordSpotter.LABELS.size()];

    @Setup
    public void setup() throws IOException {
        String[] parts = row.split(":");
        int interval = Integer.parseInt(parts[1]);
        if (parts[0].equals("fp")) {
            model = new GeneratedJava(MODELS.resolve("kws_fp.onnx"));
        } else {
            Map<Integer, Compilation> widths = new TreeMap<>();
            for (int l : new int[] {2, 4, 8}) {
                widths.put(l, compile(parts[0], l));
            }
            model = new GeneratedJava(Thinnable.merge(compile(parts[0], 1), widths, Optional.empty()), interval);
        }
        samples = KeywordSpotter.oneSecond(WavFile.read(CLIP));
        mel = LogMel.compute(samples);
    }

    private static Compilation compile(String name, int interval) {
        return ModelCompiler.compile(MODELS.resolve("kws_" + name + "_L" + interval + ".onnx"), ModelCompiler.Options.defaults());
    }

    @Benchmark
    public float[] kwsModel() {
        model.run(mel, logits);
        return logits;
    }

    @Benchmark
    public float[] kwsFeaturesAndModel() {
        model.run(LogMel.compute(samples), logits);
        return logits;
    }
}
