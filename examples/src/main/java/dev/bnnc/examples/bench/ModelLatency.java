package dev.bnnc.examples.bench;

import ai.onnxruntime.OrtException;
import dev.bnnc.frontend.onnx.ImportOptions;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.ir.Value;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one inference at batch 1, on one thread: the bnnc-generated Java class against ONNX
 * Runtime's Java API, on the same model and input. Run from the repository root (model paths are
 * relative to it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 1)
public class ModelLatency {
    @Param({"examples/models/alibaba_kws.onnx", "examples/dfsmn/dfsmn_kws.onnx", "examples/bifsmn/bifsmn_float_twin.onnx"})
    public String model;

    private GeneratedJava generated;
    private OrtSessionRunner ort;
    private float[] output;
    private float[] input;

    @Setup
    public void setup() throws OrtException {
        Path file = Path.of(model);
        var graph = OnnxImporter.importModel(file, ImportOptions.defaults());
        Value in = graph.inputs().get(0);
        input = new float[in.type().size()];
        Random random = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat() * 2 - 1;
        }
        output = new float[graph.outputs().get(0).type().size()];
        generated = new GeneratedJava(file);
        ort = new OrtSessionRunner(file, input, Arrays.stream(in.type().shape().dims()).asLongStream().toArray());
    }

    @TearDown
    public void tearDown() throws OrtException {
        ort.close();
    }

    @Benchmark
    public float[] bnncJava() {
        generated.run(input, output);
        return output;
    }

    @Benchmark
    public float[] onnxRuntime() throws OrtException {
        ort.run(output);
        return output;
    }
}
