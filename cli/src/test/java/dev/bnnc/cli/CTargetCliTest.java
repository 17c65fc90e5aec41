package dev.bnnc.cli;

import static dev.bnnc.cli.CliTest.KWS;
import static dev.bnnc.cli.CliTest.TFC;
import static dev.bnnc.cli.CliTest.bnnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --target c} as a user meets it: the files, the flags, verify; and the output compiles cleanly everywhere. */
class CTargetCliTest {
    /** Every kind of binary kernel (patches, depthwise, 1x1, dense) and the float ones. */
    private static final Path BIFSMN = Path.of("../examples/bifsmn/bifsmn_ts.onnx");

    @Test
    void compileWritesHeaderSourceAndReport(@TempDir Path dir) throws IOException {
        Run r = bnnc("compile", KWS.toString(), "--target", "c", "--out", dir.toString(), "--name", "kws");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(dir.resolve("kws.h")).contains("void kws_run(const float *input, float *output);"));
        assertTrue(Files.readString(dir.resolve("kws.c")).contains("#include \"kws.h\""));
        assertTrue(Files.notExists(dir.resolve("kws_main.c")), "the test program only on request");
        JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("bnnc-report.json"))).getAsJsonObject();
        assertEquals("c", report.get("target").getAsString());
        assertEquals("kws", report.get("name").getAsString());
        assertEquals(10, report.getAsJsonArray("layers").size());

        Run main = bnnc("compile", KWS.toString(), "--target", "c", "--out", dir.toString(), "--name", "kws", "--test-main");
        assertEquals(0, main.status(), main.err());
        assertTrue(Files.readString(dir.resolve("kws_main.c")).contains("kws_run(in[0], out[0]);"));
    }

    @Test
    void flagsThatDoNotApplyAreExitStatus2() {
        Run name = bnnc("compile", KWS.toString(), "--target", "c", "--out", "x", "--name", "3d");
        assertEquals(2, name.status());
        assertTrue(name.err().contains("--name '3d' is not a C identifier"), name.err());
        assertEquals(2, bnnc("compile", KWS.toString(), "--target", "c", "--out", "x", "--name", "m", "--package", "p").status());
        assertEquals(2, bnnc("compile", KWS.toString(), "--out", "x", "--name", "M", "--test-main").status());
    }

    @Test
    void verifyBuildsAndRunsTheCOnEveryToolchainHere() {
        CToolchain host = CToolchain.host();
        assumeTrue(host.available(), () -> host.label() + ": " + host.unavailable().orElseThrow());
        Run r = bnnc("verify", KWS.toString(), "--target", "c", "--random", "3");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("generated c " + host.label()) && r.out().contains("PASS"), r.out());
        for (CToolchain arm : List.of(CToolchain.aarch64(), CToolchain.armv7())) {
            assertTrue(r.out().contains(arm.available() ? "generated c " + arm.label() : "skipped " + arm.label()), r.out());
        }
    }

    /** The generated files compile under -std=c99 -Wall -Wextra -Werror -pedantic with each compiler present. */
    @ParameterizedTest
    @ValueSource(strings = {"gcc", "clang", "aarch64", "armv7"})
    void generatedCodeIsWarningFree(String compiler, @TempDir Path dir) {
        CToolchain toolchain = switch (compiler) {
            case "aarch64" -> CToolchain.aarch64();
            case "armv7" -> CToolchain.armv7();
            default -> CToolchain.hostCompiler(compiler);
        };
        assumeTrue(toolchain.available(), () -> "skipped: " + toolchain.label() + ": " + toolchain.unavailable().orElseThrow());
        for (Path model : List.of(KWS, TFC, BIFSMN)) {
            Run r = bnnc("compile", model.toString(), "--target", "c", "--out", dir.toString(), "--name", "m", "--test-main");
            assertEquals(0, r.status(), r.err());
            toolchain.checkCompiles(dir.resolve("m.c"));
            toolchain.checkCompiles(dir.resolve("m_main.c"));
        }
    }
}
