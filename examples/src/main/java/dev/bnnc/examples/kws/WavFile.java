package dev.bnnc.examples.kws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the audio the keyword spotter takes: RIFF WAVE, 16 kHz, mono, 16-bit PCM. */
public final class WavFile {
    public static final int SAMPLE_RATE = 16000;
    private static final int PCM = 1;
    private static final int EXTENSIBLE = 0xFFFE;

    private WavFile() {}

    /** The samples scaled to [-1, 1) (divided by 32768, as the training code does). */
    public static float[] read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() < 12 || bytes.getInt(0) != fourCc("RIFF") || bytes.getInt(8) != fourCc("WAVE")) {
            throw new WavFormatException(file, "not a RIFF WAVE file");
        }
        bytes.position(12);
        boolean haveFormat = false;
        while (bytes.remaining() >= 8) {
            int id = bytes.getInt();
            long size = Integer.toUnsignedLong(bytes.getInt());
            if (size > bytes.remaining()) {
                throw new WavFormatException(file, "truncated: chunk '" + fourCcName(id) + "' holds " + size + " bytes, "
                        + bytes.remaining() + " remain");
            }
            ByteBuffer chunk = bytes.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) size);
            bytes.position(bytes.position() + (int) Math.min(size + (size & 1), bytes.remaining())); // chunks are word-aligned
            if (id == fourCc("fmt ")) {
                checkFormat(file, chunk);
                haveFormat = true;
            } else if (id == fourCc("data")) {
                if (!haveFormat) {
                    throw new WavFormatException(file, "no 'fmt ' chunk before the samples");
                }
                float[] samples = new float[(int) size / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = chunk.getShort(2 * i) / 32768f;
                }
                return samples;
            }
        }
        throw new WavFormatException(file, haveFormat ? "no 'data' chunk" : "no 'fmt ' chunk");
    }

    private static void checkFormat(Path file, ByteBuffer fmt) throws WavFormatException {
        if (fmt.remaining() < 16) {
            throw new WavFormatException(file, "'fmt ' chunk of " + fmt.remaining() + " bytes");
        }
        int format = Short.toUnsignedInt(fmt.getShort(0));
        if (format == EXTENSIBLE && fmt.remaining() >= 26) {
            format = Short.toUnsignedInt(fmt.getShort(24)); // the sub-format GUID starts with the format code
        }
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        int rate = fmt.getInt(4);
        int bits = Short.toUnsignedInt(fmt.getShort(14));
        String problem = format != PCM ? "encoding " + (format == 3 ? "IEEE float" : "0x" + Integer.toHexString(format)) + ", not PCM"
                : channels != 1 ? channels + " channels"
                : rate != SAMPLE_RATE ? rate + " Hz"
                : bits != 16 ? bits + "-bit samples"
                : null;
        if (problem != null) {
            throw new WavFormatException(file, problem + "; expected 16 kHz mono 16-bit PCM (sox IN.wav -r 16000 -c 1 -b 16 OUT.wav converts)");
        }
    }

    private static int fourCc(String s) {
        return (s.charAt(0) & 0xFF) | (s.charAt(1) & 0xFF) << 8 | (s.charAt(2) & 0xFF) << 16 | (s.charAt(3) & 0xFF) << 24;
    }

    private static String fourCcName(int id) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            char c = (char) ((id >>> (8 * i)) & 0xFF);
            s.append(c >= 32 && c < 127 ? c : '?');
        }
        return s.toString();
    }

    /** A file that is not 16 kHz mono 16-bit PCM WAV; the message names the file and the problem. */
    public static final class WavFormatException extends IOException {
        WavFormatException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }
}
