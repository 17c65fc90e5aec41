package dev.bnnc.examples.kws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.cli.ModelCompiler;
import dev.bnnc.cli.Thinnable;
import dev.bnnc.cli.verify.ErrorStats;
import dev.bnnc.frontend.onnx.OnnxImporter;
import dev.bnnc.frontend.onnx.OnnxRuntimeReference;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo's path on the committed trained BiFSMN (HED, all TBA widths merged as {@code kws-demo} compiles
 * them) and fixture clips: WAV, Java features, generated code, label; the generated code against ONNX Runtime
 * on each width's export; and the demo's errors for files it cannot take.
 */
class KwsDemoTest {
    private static final Path MODELS = Path.of("bifsmn/kws/models");
    private static final int[] INTERVALS = {1, 2, 4, 8};
    private static KeywordSpotter spotter;

    @BeforeAll
    static void compileTheDemoModel() {
        Map<Integer, Compilation> widths = new TreeMap<>();
        for (int l : new int[] {2, 4, 8}) {
            widths.put(l, compile(l));
        }
        Compilation merged = Thinnable.merge(compile(1), widths, Optional.empty());
        JavaTarget target = new JavaTarget("dev.bnnc.examples.kws.generated", "KwsBiFSMN");
        spotter = KeywordSpotter.of(JavaSourceCompiler.compile(target.qualifiedName(), target.generate(merged)));
    }

    private static Compilation compile(int interval) {
        return ModelCompiler.compile(MODELS.resolve("kws_hed_L" + interval + ".onnx"), ModelCompiler.Options.defaults());
    }

    private record Run(int status, List<String> out, List<String> err) {}

    private static Run demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KwsDemo.run(args, () -> spotter, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    static Stream<Arguments> fixturesAndIntervals() {
        return KwsFixtures.all().stream().flatMap(f -> Stream.of(Arguments.of(f, 1), Arguments.of(f, 2)));
    }

    @ParameterizedTest
    @MethodSource("fixturesAndIntervals")
    void recognizesTheKeywordOfAFixture(KwsFixtures fixture, int interval) {
        Run run = demo("--interval", Integer.toString(interval), fixture.wav().toString());
        assertEquals(0, run.status(), run.err().toString());
        assertEquals(List.of(), run.err());
        assertEquals(fixture.label(), run.out().get(run.out().size() - 1), run.out().toString());
    }

    @Test
    void generatedCodeMatchesOnnxRuntimeOnEachWidth() throws IOException {
        List<float[]> inputs = new ArrayList<>();
        for (KwsFixtures f : KwsFixtures.all()) {
            inputs.add(LogMel.compute(KeywordSpotter.oneSecond(WavFile.read(f.wav()))));
        }
        for (int l : INTERVALS) {
            try (OnnxRuntimeReference reference = new OnnxRuntimeReference(OnnxImporter.readModel(MODELS.resolve("kws_hed_L" + l + ".onnx")))) {
                for (float[] mel : inputs) {
                    Tensor expected = reference.run(List.of(Tensor.ofFloats(Shape.of(1, 1, 32, 32), mel))).get(0);
                    ErrorStats s = ErrorStats.compare(Tensor.ofFloats(Shape.of(1, 12), spotter.logits(mel, l)), expected);
                    assertTrue(s.within(2e-3), "interval " + l + ": " + s);
                }
            }
        }
    }

    @Test
    void theModelHearsTheLoudestSecondOfALongerClipAndAShorterOnePadded() {
        float[] clip = new float[3 * KeywordSpotter.SAMPLES];
        int loud = 40 * LogMel.HOP; // the windows start at multiples of a hop
        for (int i = loud; i < loud + KeywordSpotter.SAMPLES; i++) {
            clip[i] = (i % 2 == 0) ? 0.5f : -0.5f;
        }
        assertTrue(Arrays.equals(Arrays.copyOfRange(clip, loud, loud + KeywordSpotter.SAMPLES), KeywordSpotter.oneSecond(clip)));
        float[] padded = KeywordSpotter.oneSecond(new float[] {0.25f, -0.25f});
        assertEquals(KeywordSpotter.SAMPLES, padded.length);
        assertEquals(-0.25f, padded[1]);
        assertEquals(0f, padded[2]);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("stereo", wav(1, 2, 16000, 16, pcm(32)), "2 channels; expected 16 kHz mono 16-bit PCM"),
                Arguments.of("8 kHz", wav(1, 1, 8000, 16, pcm(32)), "8000 Hz; expected 16 kHz mono 16-bit PCM"),
                Arguments.of("8-bit", wav(1, 1, 16000, 8, new byte[32]), "8-bit samples; expected 16 kHz mono 16-bit PCM"),
                Arguments.of("float", wav(3, 1, 16000, 32, new byte[32]), "encoding IEEE float, not PCM; expected"),
                Arguments.of("not RIFF", "ID3 tags, not audio".getBytes(StandardCharsets.US_ASCII), "not a RIFF WAVE file"),
                Arguments.of("truncated", truncate(wav(1, 1, 16000, 16, pcm(1000)), 200), "truncated: chunk 'data' holds 2000 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aFileItCannotTakeIsOneClearError(String what, byte[] contents, String problem, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("clip.wav"), contents);
        Run run = demo(file.toString());
        assertEquals(2, run.status());
        assertEquals(List.of(), run.out());
        assertEquals(1, run.err().size(), run.err().toString());
        assertTrue(run.err().get(0).startsWith("kws-demo: error: " + file + ": " + problem), run.err().get(0));
    }

    @Test
    void badArgumentsAreOneClearError(@TempDir Path dir) {
        String clip = KwsFixtures.all().get(0).wav().toString();
        assertEquals(List.of("kws-demo: error: --interval 3: the model runs at intervals [1, 2, 4, 8]"), demo("--interval", "3", clip).err());
        assertEquals(List.of("kws-demo: error: --interval takes a number, not 'x'"), demo("--interval", "x", clip).err());
        assertEquals(List.of("kws-demo: error: usage: kws-demo [--interval L] FILE.wav"), demo().err());
        assertEquals(List.of("kws-demo: error: " + dir.resolve("none.wav") + ": no such file"), demo(dir.resolve("none.wav").toString()).err());
        assertEquals(2, demo(clip, clip).status());
    }

    /** A WAV file: a 16-byte 'fmt ' chunk (format code, channels, rate, bits) and the data. */
    private static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) format).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] pcm(int samples) {
        return new byte[2 * samples];
    }

    private static byte[] truncate(byte[] file, int length) {
        return Arrays.copyOf(file, length);
    }
}
