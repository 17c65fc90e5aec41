package dev.bnnc.examples.kws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed fixtures of {@code examples/bifsmn/kws/make_fixtures.py}: clips, their labels and Python features. */
record KwsFixtures(String name, String label, Path wav) {
    static final Path DIR = Path.of("bifsmn/kws/fixtures");

    static List<KwsFixtures> all() {
        try {
            return Files.readAllLines(DIR.resolve("fixtures.csv")).stream().skip(1).map(line -> line.split(",", 3))
                    .map(f -> new KwsFixtures(f[0], f[1], DIR.resolve(f[0] + ".wav"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** features.py's log-mel features of the clip, band-major. */
    float[] pythonFeatures() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve(name + ".logmel"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] mel = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(mel);
        return mel;
    }

    @Override
    public String toString() {
        return name;
    }
}
