package dev.bnnc.backends.c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A generated model built with its test driver, in a temporary folder that {@link #close} deletes.
 * {@link #run} passes cases through files of little-endian floats (the byte order of the x86-64 and
 * aarch64 targets).
 */
public final class CProgram implements AutoCloseable {
    private final CToolchain toolchain;
    private final Path dir;
    private final int[] inputSizes;
    private final int[] outputSizes;

    CProgram(CToolchain toolchain, Path dir, int[] inputSizes, int[] outputSizes) {
        this.toolchain = toolchain;
        this.dir = dir;
        this.inputSizes = inputSizes.clone();
        this.outputSizes = outputSizes.clone();
    }

    public Path executable() {
        return dir.resolve("model");
    }

    /** Runs the model on each case (its inputs in order) and returns each case's outputs. */
    public List<float[][]> run(List<float[][]> cases) {
        return run(cases, null);
    }

    /** Runs a thinnable model at {@code interval} (null: its default) on each case. */
    public List<float[][]> run(List<float[][]> cases, Integer interval) {
        Path in = dir.resolve("in.bin");
        Path out = dir.resolve("out.bin");
        try {
            Files.write(in, encode(cases));
            List<String> args = interval == null ? List.of(in.toString(), out.toString())
                    : List.of(in.toString(), out.toString(), "1", interval.toString());
            CToolchain.Result r = toolchain.run(executable(), args);
            if (r.status() != 0) {
                throw new IllegalStateException(toolchain.label() + ": the test program exited with status " + r.status()
                        + (r.output().isBlank() ? "" : ": " + r.output().strip()));
            }
            return decode(Files.readAllBytes(out), cases.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] encode(List<float[][]> cases) {
        int floats = 0;
        for (int size : inputSizes) {
            floats += size;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * floats * cases.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float[][] c : cases) {
            if (c.length != inputSizes.length) {
                throw new IllegalArgumentException("expected " + inputSizes.length + " inputs, got " + c.length);
            }
            for (int k = 0; k < c.length; k++) {
                if (c[k].length != inputSizes[k]) {
                    throw new IllegalArgumentException("input " + k + " has " + c[k].length + " floats, expected " + inputSizes[k]);
                }
                b.asFloatBuffer().put(c[k]);
                b.position(b.position() + 4 * c[k].length);
            }
        }
        return b.array();
    }

    private List<float[][]> decode(byte[] bytes, int cases) {
        int floats = 0;
        for (int size : outputSizes) {
            floats += size;
        }
        if (bytes.length != 4L * floats * cases) {
            throw new IllegalStateException(toolchain.label() + ": the test program wrote " + bytes.length + " bytes, expected "
                    + 4L * floats * cases);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<float[][]> result = new ArrayList<>();
        for (int c = 0; c < cases; c++) {
            float[][] outs = new float[outputSizes.length][];
            for (int k = 0; k < outs.length; k++) {
                outs[k] = new float[outputSizes[k]];
                b.asFloatBuffer().get(outs[k]);
                b.position(b.position() + 4 * outs[k].length);
            }
            result.add(outs);
        }
        return result;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
