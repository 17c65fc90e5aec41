package dev.bnnc.examples.kws;

/**
 * BiFSMN's front end, exactly as the training code computes it ({@code examples/bifsmn/kws/features.py},
 * librosa's melspectrogram and power_to_db defaults): 16 kHz audio, FFT 2048 with a periodic Hann window,
 * hop 512, frames centred with zero padding, 32 Slaney mel filters from 0 to 8 kHz, power in dB relative to
 * 1.0 with a 1e-10 floor and an 80 dB range. One second gives 32 frames. Computed in double and rounded
 * to float at the end, as the numpy code does.
 */
public final class LogMel {
    public static final int N_FFT = 2048;
    public static final int HOP = 512;
    public static final int BANDS = 32;
    private static final double AMIN = 1e-10;
    private static final double TOP_DB = 80;
    private static final int BINS = N_FFT / 2 + 1;

    private static final double[] WINDOW = new double[N_FFT];
    private static final double[] COS = new double[N_FFT / 2];
    private static final double[] SIN = new double[N_FFT / 2];
    private static final int[] BIT_REVERSED = new int[N_FFT];
    /** Band b's filter: weights FILTER_WEIGHTS[b] for the bins from FILTER_START[b] on (its nonzero span). */
    private static final int[] FILTER_START = new int[BANDS];
    private static final double[][] FILTER_WEIGHTS = new double[BANDS][];

    static {
        for (int i = 0; i < N_FFT; i++) {
            WINDOW[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / N_FFT);
            BIT_REVERSED[i] = Integer.reverse(i) >>> (Integer.numberOfLeadingZeros(N_FFT) + 1);
        }
        for (int k = 0; k < N_FFT / 2; k++) {
            COS[k] = Math.cos(2 * Math.PI * k / N_FFT);
            SIN[k] = -Math.sin(2 * Math.PI * k / N_FFT);
        }
        melFilters();
    }

    private LogMel() {}

    /** Frames of {@code samples}: 1 + samples / HOP. */
    public static int frames(int samples) {
        return 1 + samples / HOP;
    }

    /** The log-mel features of {@code samples} (in [-1, 1]), band-major: {@code [BANDS][frames]} flattened. */
    public static float[] compute(float[] samples) {
        int frames = frames(samples.length);
        double[] mel = new double[BANDS * frames];
        double[] re = new double[N_FFT];
        double[] im = new double[N_FFT];
        double[] power = new double[BINS];
        for (int t = 0; t < frames; t++) {
            int start = t * HOP - N_FFT / 2;
            for (int i = 0; i < N_FFT; i++) {
                int s = start + i;
                re[BIT_REVERSED[i]] = s >= 0 && s < samples.length ? samples[s] * WINDOW[i] : 0;
                im[i] = 0;
            }
            fft(re, im);
            for (int f = 0; f < BINS; f++) {
                power[f] = re[f] * re[f] + im[f] * im[f];
            }
            for (int b = 0; b < BANDS; b++) {
                double sum = 0;
                double[] weights = FILTER_WEIGHTS[b];
                for (int j = 0; j < weights.length; j++) {
                    sum += weights[j] * power[FILTER_START[b] + j];
                }
                mel[b * frames + t] = sum;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < mel.length; i++) {
            mel[i] = 10 * Math.log10(Math.max(mel[i], AMIN));
            max = Math.max(max, mel[i]);
        }
        float[] out = new float[mel.length];
        for (int i = 0; i < mel.length; i++) {
            out[i] = (float) Math.max(mel[i], max - TOP_DB);
        }
        return out;
    }

    /** In-place radix-2 FFT of (re, im), whose input is already in bit-reversed order. */
    private static void fft(double[] re, double[] im) {
        for (int half = 1; half < N_FFT; half *= 2) {
            int stride = N_FFT / (2 * half);
            for (int block = 0; block < N_FFT; block += 2 * half) {
                for (int k = 0; k < half; k++) {
                    double wr = COS[k * stride];
                    double wi = SIN[k * stride];
                    int a = block + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    /** Slaney mel filters: triangles between mel-spaced edges, area-normalized. */
    private static void melFilters() {
        double[] edges = new double[BANDS + 2];
        double top = hzToMel(WavFile.SAMPLE_RATE / 2.0);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(top * i / (BANDS + 1));
        }
        for (int b = 0; b < BANDS; b++) {
            double[] weights = new double[BINS];
            int first = -1;
            int last = -1;
            for (int f = 0; f < BINS; f++) {
                double hz = f * (WavFile.SAMPLE_RATE / 2.0) / (BINS - 1);
                double rising = (hz - edges[b]) / (edges[b + 1] - edges[b]);
                double falling = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                weights[f] = Math.max(0, Math.min(rising, falling)) * 2 / (edges[b + 2] - edges[b]);
                if (weights[f] > 0) {
                    first = first < 0 ? f : first;
                    last = f;
                }
            }
            FILTER_START[b] = first;
            FILTER_WEIGHTS[b] = java.util.Arrays.copyOfRange(weights, first, last + 1);
        }
    }

    private static double hzToMel(double hz) {
        return hz >= 1000 ? 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27) : hz / (200.0 / 3);
    }

    private static double melToHz(double mel) {
        return mel >= 15 ? 1000 * Math.exp(Math.log(6.4) / 27 * (mel - 15)) : mel * (200.0 / 3);
    }
}
