package dev.bnnc.backends.c;

import dev.bnnc.backends.kernels.SimdKernelSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A C compiler, and the emulator that runs what it builds if it targets another machine: the
 * host's compiler, or {@code aarch64-linux-gnu-gcc} with {@code qemu-aarch64} (static binaries, so
 * qemu needs no target libraries). Builds generated models with a test driver ({@link CProgram})
 * for {@code bnnc verify} and the tests, and says plainly why it cannot where a tool is missing.
 */
public final class CToolchain {
    /**
     * What generated code must compile cleanly under, and what verify and the tests build with:
     * C99, optimized as users would build it, every warning an error.
     */
    public static final List<String> STRICT_FLAGS = List.of("-std=c99", "-O3", "-Wall", "-Wextra", "-Werror", "-pedantic");
    /** How long a compiler or a test program may take before it is stopped. */
    private static final long TIMEOUT_SECONDS = 600;

    private final String label;
    private final List<String> compiler;
    private final List<String> runner;
    private final String missing;

    private CToolchain(String label, List<String> compiler, List<String> runner, String missing) {
        this.label = label;
        this.compiler = List.copyOf(compiler);
        this.runner = List.copyOf(runner);
        this.missing = missing;
    }

    /** The host's compiler: {@code $CC} if set, else the first of gcc, clang and cc on the PATH. */
    public static CToolchain host() {
        String cc = System.getenv("CC");
        if (cc != null && !cc.isBlank()) {
            return hostCompiler(cc.trim());
        }
        for (String candidate : List.of("gcc", "clang", "cc")) {
            if (onPath(candidate).isPresent()) {
                return hostCompiler(candidate);
            }
        }
        return new CToolchain(hostArch() + " (no compiler)", List.of("cc"), List.of(),
                "no C compiler found: install gcc or clang, or set CC");
    }

    /** A named compiler for the host ({@code gcc}, {@code clang}, a path; flags may follow, as in CC). */
    public static CToolchain hostCompiler(String command) {
        List<String> words = List.of(command.trim().split("\\s+"));
        String label = hostArch() + " " + Path.of(words.get(0)).getFileName();
        return new CToolchain(label, words, List.of(), missingTools(words.get(0)));
    }

    /**
     * The host's compiler for this very x86-64 machine ({@code -march=native}): the SIMD kernels
     * its CPU has (AVX-512 or AVX2) compiled in, which the plain host build leaves out. Unavailable, saying
     * why, on other hosts or where the compiler does not accept the flag.
     */
    public static CToolchain hostNative() {
        return hostNative(host());
    }

    private static CToolchain hostNative(CToolchain host) {
        List<String> cmd = new ArrayList<>(host.compiler);
        cmd.add("-march=native");
        String label = host.label + " -march=native";
        if (!hostArch().equals("x86_64")) {
            return new CToolchain(label, cmd, List.of(), "-march=native is for x86-64 hosts, this one is " + hostArch());
        }
        if (host.missing != null) {
            return new CToolchain(label, cmd, List.of(), host.missing);
        }
        return new CToolchain(label, cmd, List.of(), rejects(cmd, "").orElse(null));
    }

    /**
     * The host's compiler {@code host} for AVX2 and FMA without AVX-512 ({@code -mavx2 -mfma}), on
     * an x86-64 machine whose -march=native build ({@code nativeBuild}) has the AVX-512 kernels: the
     * AVX2 sections are checked there too. Unavailable, saying why, where -march=native builds the
     * AVX2 ones already.
     */
    private static CToolchain hostAvx2(CToolchain host, CToolchain nativeBuild) {
        List<String> cmd = new ArrayList<>(host.compiler);
        cmd.addAll(List.of("-mavx2", "-mfma"));
        String label = host.label + " -mavx2";
        if (nativeBuild.missing != null) {
            return new CToolchain(label, cmd, List.of(), nativeBuild.missing);
        }
        if (rejects(nativeBuild.compiler, "#if !(" + SimdKernelSet.AVX512.features() + ")\n#error\n#endif\n").isPresent()) {
            return new CToolchain(label, cmd, List.of(), "the -march=native build has the AVX2 kernels already");
        }
        return new CToolchain(label, cmd, List.of(), rejects(cmd, "").orElse(null));
    }

    /** Why {@code compiler} (with its flags) cannot compile {@code source} (an empty file's too), if it cannot. */
    private static Optional<String> rejects(List<String> compiler, String source) {
        try {
            Path dir = Files.createTempDirectory("bnnc-cc-");
            Path probe = write(dir.resolve("probe.c"), source + "int bnnc_probe;\n");
            List<String> cmd = new ArrayList<>(compiler);
            cmd.addAll(List.of("-c", "-o", dir.resolve("probe.o").toString(), probe.toString()));
            Result r = exec(cmd, dir);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            return r.status == 0 ? Optional.empty() : Optional.of(String.join(" ", compiler) + " fails: " + r.output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ARMv8-A (no later extensions) with the GNU cross compiler, run under qemu user-mode emulation. */
    public static CToolchain aarch64() {
        String cc = "aarch64-linux-gnu-gcc";
        String qemu = "qemu-aarch64";
        return new CToolchain("aarch64 gcc (qemu)", List.of(cc, "-march=armv8-a", "-static"), List.of(qemu),
                missingTools(cc, qemu));
    }

    /**
     * 32-bit ARMv7-A with NEON-VFPv4 and the hard-float ABI (a Raspberry Pi on a 32-bit OS), run
     * under qemu: the portable kernels, as the NEON ones need A64.
     */
    public static CToolchain armv7() {
        String cc = "arm-linux-gnueabihf-gcc";
        String qemu = "qemu-arm";
        return new CToolchain("armv7 gcc (qemu)", List.of(cc, "-march=armv7-a", "-mfpu=neon-vfpv4", "-mfloat-abi=hard", "-static"),
                List.of(qemu), missingTools(cc, qemu));
    }

    /**
     * What generated C is checked with ({@code bnnc verify --target c} and the tests): the host's
     * compiler (portable C), the same with -march=native on x86-64 (its SIMD kernels), aarch64 and
     * 32-bit ARMv7 under qemu, each saying why where it cannot be used here; and, where
     * -march=native has the AVX-512 kernels, the AVX2 build.
     */
    public static List<CToolchain> checked() {
        CToolchain host = host();
        CToolchain nativeBuild = hostNative(host);
        CToolchain avx2 = hostAvx2(host, nativeBuild);
        List<CToolchain> toolchains = new ArrayList<>(List.of(host, nativeBuild));
        if (avx2.available()) {
            toolchains.add(avx2);
        }
        toolchains.addAll(List.of(aarch64(), armv7()));
        return List.copyOf(toolchains);
    }

    /** Whether what it builds runs under an emulator rather than on this machine. */
    public boolean emulated() {
        return !runner.isEmpty();
    }

    public String label() {
        return label;
    }

    /** Why this toolchain cannot be used here, if it cannot. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(missing);
    }

    public boolean available() {
        return missing == null;
    }

    /** The compiler command with its target flags (e.g. {@code aarch64-linux-gnu-gcc -march=armv8-a -static}). */
    public List<String> compilerCommand() {
        return compiler;
    }

    /**
     * Compiles {@code sources} into {@code executable} with {@link #STRICT_FLAGS} and {@code extraFlags},
     * linking libm.
     *
     * @throws CompileException with the compiler's diagnostics
     */
    public void compile(List<Path> sources, Path executable, List<String> extraFlags) {
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(STRICT_FLAGS);
        cmd.addAll(extraFlags);
        cmd.add("-o");
        cmd.add(executable.toString());
        sources.forEach(s -> cmd.add(s.toString()));
        cmd.add("-lm");
        Result r = exec(cmd, executable.getParent());
        if (r.status != 0) {
            throw new CompileException(label + ": " + String.join(" ", cmd) + " failed:\n" + r.output);
        }
    }

    /** Compiles {@code source} to an object file only, with {@link #STRICT_FLAGS}: a check for diagnostics. */
    public void checkCompiles(Path source) {
        Path object = source.resolveSibling(source.getFileName() + ".o");
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(STRICT_FLAGS);
        cmd.addAll(List.of("-c", "-o", object.toString(), source.toString()));
        Result r = exec(cmd, source.getParent());
        if (r.status != 0) {
            throw new CompileException(label + ": " + String.join(" ", cmd) + " failed:\n" + r.output);
        }
    }

    /**
     * Builds {@code model} with its test driver in a new temporary folder (deleted when the program
     * is closed). {@code inputSizes} and {@code outputSizes} are the model's, in floats.
     */
    public CProgram build(CSources model, int[] inputSizes, int[] outputSizes) {
        requireAvailable();
        Path dir;
        try {
            dir = Files.createTempDirectory("bnnc-c-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CProgram program = new CProgram(this, dir, inputSizes, outputSizes);
        try {
            write(dir.resolve(model.headerFile()), model.header());
            Path source = write(dir.resolve(model.sourceFile()), model.source());
            Path main = write(dir.resolve(model.name() + "_main.c"), CTestDriver.source(model, inputSizes.length, outputSizes.length));
            compile(List.of(source, main), program.executable(), List.of());
            return program;
        } catch (RuntimeException e) {
            program.close();
            throw e;
        }
    }

    /** Runs {@code executable} (under the emulator if there is one) with {@code args}. */
    Result run(Path executable, List<String> args) {
        List<String> cmd = new ArrayList<>(runner);
        cmd.add(executable.toString());
        cmd.addAll(args);
        return exec(cmd, executable.getParent());
    }

    private void requireAvailable() {
        if (missing != null) {
            throw new CompileException(label + ": " + missing);
        }
    }

    /** A C compiler failed (its diagnostics are in the message), or a tool is missing. */
    public static final class CompileException extends RuntimeException {
        public CompileException(String message) {
            super(message);
        }
    }

    record Result(int status, String output) {}

    private static Result exec(List<String> cmd, Path dir) {
        try {
            Path log = Files.createTempFile(dir, "log-", ".txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CompileException(String.join(" ", cmd) + ": still running after " + TIMEOUT_SECONDS + " s, stopped");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new CompileException("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompileException("interrupted while running " + cmd.get(0));
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String missingTools(String... tools) {
        List<String> absent = new ArrayList<>();
        for (String t : tools) {
            if (onPath(t).isEmpty()) {
                absent.add(t);
            }
        }
        if (absent.isEmpty()) {
            return null;
        }
        return String.join(" and ", absent) + (absent.size() == 1 ? " is" : " are") + " not on the PATH"
                + (tools[0].startsWith("aarch64") ? " (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)" : "");
    }

    /** The executable {@code command} resolves to: itself if it is a path, else the first match on the PATH. */
    private static Optional<Path> onPath(String command) {
        if (command.contains(File.separator)) {
            Path p = Path.of(command);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String hostArch() {
        String arch = System.getProperty("os.arch", "host").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") ? "x86_64" : arch;
    }
}
