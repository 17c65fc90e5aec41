package dev.bnnc.frontend.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tensor data stored beside the model ({@code data_location = EXTERNAL}). The file must lie inside
 * the model's folder: a model is untrusted input, and a location such as {@code /etc/passwd},
 * {@code ../secret} or a symlink pointing out must not make the compiler read, and bake into
 * generated code, files the user never meant to share.
 */
final class ExternalData {
    private ExternalData() {}

    /** The tensor's bytes (little-endian), exactly {@code expectedBytes} of them. */
    static ByteBuffer read(TensorProto t, Path baseDir, long expectedBytes) {
        String what = "tensor '" + t.getName() + "'";
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), what, "offset");
                case "length" -> length = parseLong(e.getValue(), what, "length");
                default -> { } // "checksum" and future keys do not change what is read
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ImportException(what + " has external data without a location");
        }
        if (baseDir == null) {
            throw new ImportException(what + " has external data ('" + location
                    + "') but the model was not read from a folder");
        }
        Path file = resolveInside(baseDir, location, what);
        if (length >= 0 && length != expectedBytes) {
            throw new ImportException(what + " needs " + expectedBytes + " bytes of external data, its length is "
                    + length);
        }
        if (expectedBytes > Integer.MAX_VALUE) {
            throw new ImportException(what + " has " + expectedBytes + " bytes of external data, more than 2 GiB");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset < 0 || offset + expectedBytes > ch.size()) {
                throw new ImportException(what + ": external data file '" + location + "' has " + ch.size()
                        + " bytes, cannot read " + expectedBytes + " at offset " + offset);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) expectedBytes);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new ImportException(what + ": external data file '" + location + "' ended early");
                }
            }
            return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ImportException(what + ": cannot read external data file '" + location + "': " + e.getMessage(), e);
        }
    }

    /** {@code location} resolved against {@code baseDir}, failing unless the real file lies inside it. */
    private static Path resolveInside(Path baseDir, String location, String what) {
        Path rel;
        try {
            rel = Path.of(location);
        } catch (IllegalArgumentException e) {
            throw new ImportException(what + ": external data location '" + location + "' is not a valid path");
        }
        boolean climbs = false;
        for (Path part : rel) {
            climbs |= part.toString().equals("..");
        }
        if (rel.isAbsolute() || climbs) {
            throw new ImportException(what + ": external data location '" + location
                    + "' must be a relative path inside the model's folder");
        }
        try {
            Path base = baseDir.toRealPath();
            Path real = base.resolve(rel).toRealPath();
            if (!real.startsWith(base)) {
                throw new ImportException(what + ": external data location '" + location
                        + "' leads outside the model's folder (to " + real + ")");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new ImportException(what + ": external data file '" + location + "' not found in " + baseDir);
        } catch (IOException e) {
            throw new ImportException(what + ": cannot resolve external data file '" + location + "': " + e.getMessage(), e);
        }
    }

    private static long parseLong(String s, String what, String key) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new ImportException(what + ": external data " + key + " '" + s + "' is not a number");
        }
    }
}
