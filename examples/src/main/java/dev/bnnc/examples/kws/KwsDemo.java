package dev.bnnc.examples.kws;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code kws-demo [--interval L] FILE.wav}: recognizes the keyword in a 16 kHz mono 16-bit PCM WAV file with a
 * bnnc-generated BiFSMN and prints the label alone on its last line (after a line with the best three
 * classes). Bad input: one line naming the problem, exit status 2.
 */
public final class KwsDemo {
    /** The class that {@code examples/bifsmn/kws-demo} generates with bnnc. */
    public static final String MODEL_CLASS = "dev.bnnc.examples.kws.generated.KwsBiFSMN";
    private static final String USAGE = "usage: kws-demo [--interval L] FILE.wav";

    private KwsDemo() {}

    public static void main(String[] args) {
        System.exit(run(args, () -> {
            try {
                return KeywordSpotter.of(Class.forName(MODEL_CLASS));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(MODEL_CLASS + " is not on the class path: run examples/bifsmn/kws-demo", e);
            }
        }, System.out, System.err));
    }

    /** The demo on {@code args}: 0 on success, 2 on bad input (reported on {@code err}). */
    public static int run(String[] args, Supplier<KeywordSpotter> spotter, PrintStream out, PrintStream err) {
        try {
            int interval = 1;
            Path file = null;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--interval") && i + 1 < args.length) {
                    interval = parseInterval(args[++i]);
                } else if (args[i].startsWith("-") || file != null) {
                    throw new UsageException("unexpected argument '" + args[i] + "'; " + USAGE);
                } else {
                    file = Path.of(args[i]);
                }
            }
            if (file == null) {
                throw new UsageException(USAGE);
            }
            float[] samples = readWav(file);
            KeywordSpotter model = spotter.get();
            if (!model.intervals().contains(interval)) {
                throw new UsageException("--interval " + interval + ": the model runs at intervals " + model.intervals());
            }
            float[] logits = model.logits(LogMel.compute(KeywordSpotter.oneSecond(samples)), interval);
            out.println(file.getFileName() + ": " + String.join(", ", KeywordSpotter.ranked(logits, 3)) + " (interval " + interval + ")");
            out.println(KeywordSpotter.label(logits));
            return 0;
        } catch (UsageException e) {
            err.println("kws-demo: error: " + e.getMessage());
            return 2;
        }
    }

    private static int parseInterval(String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--interval takes a number, not '" + value + "'");
        }
    }

    private static float[] readWav(Path file) throws UsageException {
        try {
            return WavFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(e instanceof WavFile.WavFormatException ? e.getMessage() : file + ": " + e.getMessage());
        }
    }

    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
