package dev.bnnc.examples.kws;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accuracy of bnnc-generated keyword spotters on a split of the corpus of
 * {@code examples/bifsmn/kws/make_dataset.py}, computed by the generated code from the WAV files (features in
 * Java, as the demo does): {@code KwsEvaluation DATA_DIR SPLIT CLASS...} prints one row per model and interval
 * (every interval a thinnable class has). {@code examples/bifsmn/kws-evaluate} builds the classes and runs it.
 */
public final class KwsEvaluation {
    private KwsEvaluation() {}

    public static void main(String[] args) throws IOException, ClassNotFoundException {
        if (args.length < 3) {
            System.err.println("usage: KwsEvaluation DATA_DIR SPLIT CLASS...");
            System.exit(2);
        }
        List<KeywordSpotter> models = new ArrayList<>();
        for (String name : Arrays.asList(args).subList(2, args.length)) {
            models.add(KeywordSpotter.of(Class.forName(name)));
        }
        evaluate(Path.of(args[0]), args[1], models, System.out);
    }

    /** One row per model and interval: clips right of all clips, and of the keyword clips alone. */
    public static void evaluate(Path data, String split, List<KeywordSpotter> models, PrintStream out) throws IOException {
        List<String> lines = Files.readAllLines(data.resolve(split + ".csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int pathColumn = header.indexOf("path");
        int labelColumn = header.indexOf("label");
        List<float[]> features = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            features.add(LogMel.compute(KeywordSpotter.oneSecond(WavFile.read(data.resolve(fields[pathColumn])))));
            labels.add(fields[labelColumn]);
        }
        long keywords = labels.stream().filter(l -> !l.startsWith("_")).count();
        out.printf("%s split of %s: %d clips (%d keywords, %d unknown, %d silence)%n", split, data, labels.size(), keywords,
                labels.stream().filter(l -> l.equals("_unknown_")).count(), labels.stream().filter(l -> l.equals("_silence_")).count());
        out.printf("%-24s %8s %10s %10s%n", "model", "interval", "accuracy", "keywords");
        for (KeywordSpotter model : models) {
            for (int interval : model.intervals()) {
                int right = 0;
                int rightKeywords = 0;
                for (int i = 0; i < labels.size(); i++) {
                    if (KeywordSpotter.label(model.logits(features.get(i), interval)).equals(labels.get(i))) {
                        right++;
                        rightKeywords += labels.get(i).startsWith("_") ? 0 : 1;
                    }
                }
                out.printf("%-24s %8d %9.2f%% %9.2f%%%n", model.name(), interval, 100.0 * right / labels.size(),
                        100.0 * rightKeywords / keywords);
            }
        }
    }
}
