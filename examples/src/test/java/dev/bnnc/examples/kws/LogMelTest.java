package dev.bnnc.examples.kws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java front end computes the features the models were trained on (features.py), on the committed clips. */
class LogMelTest {
    static Iterable<KwsFixtures> fixtures() {
        return KwsFixtures.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void javaFeaturesEqualThePythonOnes(KwsFixtures fixture) throws IOException {
        float[] samples = WavFile.read(fixture.wav());
        float[] expected = fixture.pythonFeatures();
        float[] actual = LogMel.compute(samples);
        assertEquals(LogMel.BANDS * LogMel.frames(samples.length), expected.length, "fixture size");
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        // Both compute in double and round to float; values reach ~100 dB, where a float step is ~1e-5.
        assertTrue(worst <= 1e-4, fixture + ": max |Java - Python| = " + worst + " dB");
    }
}
