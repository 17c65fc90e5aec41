package dev.bnnc.examples.kws;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A bnnc-generated keyword-spotting class (input: log-mel features [1, 1, 32, 32]; output: 12 logits) with
 * the front end that feeds it. A thinnable class ({@code --tba} or {@code --variant}) runs at any of its
 * intervals; a plain one only at interval 1. Not thread-safe, like the generated class.
 */
public final class KeywordSpotter {
    /** The classes in the order of the logits, as in the Speech Commands 12-class task (kws_classes.py of the training code). */
    public static final List<String> LABELS = List.of("_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right",
            "on", "off", "stop", "go");
    /** One second of audio: what the model was trained on. */
    public static final int SAMPLES = WavFile.SAMPLE_RATE;

    private final String name;
    private final Object model;
    private final MethodHandle run;
    private final List<Integer> intervals;
    private final float[] logits = new float[LABELS.size()];

    private KeywordSpotter(Class<?> generated) throws ReflectiveOperationException {
        name = generated.getSimpleName();
        model = generated.getConstructor().newInstance();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        int[] thinnable = null;
        try {
            thinnable = (int[]) generated.getField("INTERVALS").get(null);
        } catch (NoSuchFieldException plain) {
            // a plain model: run(input, output) only
        }
        if (thinnable != null) {
            intervals = Collections.unmodifiableList(Arrays.stream(thinnable).boxed().toList());
            run = lookup.findVirtual(generated, "run", MethodType.methodType(void.class, float[].class, float[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, float[].class, float[].class, int.class));
        } else {
            intervals = List.of(1);
            run = MethodHandles.dropArguments(lookup.findVirtual(generated, "run",
                    MethodType.methodType(void.class, float[].class, float[].class))
                    .asType(MethodType.methodType(void.class, Object.class, float[].class, float[].class)), 3, int.class);
        }
        int[] inputShape = (int[]) generated.getField("INPUT_SHAPE").get(null);
        int[] outputShape = (int[]) generated.getField("OUTPUT_SHAPE").get(null);
        if (!Arrays.equals(inputShape, new int[] {1, 1, LogMel.BANDS, LogMel.frames(SAMPLES)})
                || !Arrays.equals(outputShape, new int[] {1, LABELS.size()})) {
            throw new IllegalArgumentException(name + " takes " + Arrays.toString(inputShape) + " and gives "
                    + Arrays.toString(outputShape) + ", not a keyword spotter's [1, 1, 32, 32] -> [1, 12]");
        }
    }

    /** Wraps a generated class (by reflection: it is compiled after this one). */
    public static KeywordSpotter of(Class<?> generated) {
        try {
            return new KeywordSpotter(generated);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(generated.getName() + " is not a bnnc-generated model class: " + e, e);
        }
    }

    public String name() {
        return name;
    }

    public List<Integer> intervals() {
        return intervals;
    }

    /** The logits of log-mel features {@code mel} at {@code interval} (a view, overwritten by the next call). */
    public float[] logits(float[] mel, int interval) {
        if (!intervals.contains(interval)) {
            throw new IllegalArgumentException(name + " runs at intervals " + intervals + ", not " + interval);
        }
        try {
            run.invokeExact(model, mel, logits, interval);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return logits;
    }

    /** The label of the largest logit. */
    public static String label(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        return LABELS.get(best);
    }

    /**
     * The one second of {@code samples} that the model hears: shorter audio padded with silence at the end,
     * longer audio the second with the most energy (in steps of a hop).
     */
    public static float[] oneSecond(float[] samples) {
        if (samples.length <= SAMPLES) {
            return Arrays.copyOf(samples, SAMPLES);
        }
        double[] energy = new double[samples.length + 1];
        for (int i = 0; i < samples.length; i++) {
            energy[i + 1] = energy[i] + (double) samples[i] * samples[i];
        }
        int best = 0;
        for (int start = 0; start + SAMPLES <= samples.length; start += LogMel.HOP) {
            best = energy[start + SAMPLES] - energy[start] > energy[best + SAMPLES] - energy[best] ? start : best;
        }
        return Arrays.copyOfRange(samples, best, best + SAMPLES);
    }

    /** The labels of the classes, best first, with their softmax probabilities, for display. */
    public static List<String> ranked(float[] logits, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Float.compare(logits[b], logits[a]));
        List<String> out = new ArrayList<>();
        for (int i : order.subList(0, count)) {
            out.add(String.format("%s %.2f", LABELS.get(i), Math.exp(logits[i] - max) / sum));
        }
        return out;
    }
}
