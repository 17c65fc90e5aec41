package dev.bnnc.backends.c;

/**
 * The {@code main} of a test program for a generated model (what {@code bnnc verify}, the tests and
 * the instruction-count script build; users get it only on request): {@code PROG IN OUT [REPEAT
 * [INTERVAL]]}, the interval for thinnable models (default: the first). It reads
 * cases from a file of raw floats (each case: every input in order, as the header's sizes say),
 * runs the model on each, {@code REPEAT} times (for instruction counts), and appends the outputs
 * to another file. Floats are read and written in the machine's byte order (little-endian on
 * x86-64 and aarch64 Linux).
 */
public final class CTestDriver {
    private CTestDriver() {}

    /** The driver of {@code model}, which has {@code inputs} inputs and {@code outputs} outputs. */
    public static String source(CSources model, int inputs, int outputs) {
        String name = model.name();
        boolean thin = !model.intervals().isEmpty();
        boolean single = inputs == 1 && outputs == 1;
        String m = name.toUpperCase(java.util.Locale.ROOT);
        StringBuilder c = new StringBuilder();
        c.append("/* Test driver for ").append(name).append(": PROG INPUT_FILE OUTPUT_FILE [REPEAT")
                .append(thin ? " [INTERVAL]" : "").append("]. */\n");
        c.append("#include <stdio.h>\n#include <stdlib.h>\n#include \"").append(name).append(".h\"\n\n");
        c.append("static const size_t in_sizes[] = {");
        for (int k = 0; k < inputs; k++) {
            c.append(k > 0 ? ", " : "").append(single ? m + "_INPUT_SIZE" : m + "_INPUT" + k + "_SIZE");
        }
        c.append("};\nstatic const size_t out_sizes[] = {");
        for (int k = 0; k < outputs; k++) {
            c.append(k > 0 ? ", " : "").append(single ? m + "_OUTPUT_SIZE" : m + "_OUTPUT" + k + "_SIZE");
        }
        c.append("};\n\n");
        c.append("""
                static int fail(const char *what) {
                    fprintf(stderr, "driver: %%s\\n", what);
                    return 2;
                }

                int main(int argc, char **argv) {
                    enum { INPUTS = %1$d, OUTPUTS = %2$d };
                    float *in[INPUTS];
                    float *out[OUTPUTS];
                    long repeat = argc > 3 ? atol(argv[3]) : 1;
                    %5$s
                    FILE *fin, *fout;
                    int k;
                    if (argc < 3) return fail("usage: PROG INPUT_FILE OUTPUT_FILE [REPEAT]");
                    fin = fopen(argv[1], "rb");
                    fout = fopen(argv[2], "wb");
                    if (!fin || !fout) return fail("cannot open the files");
                    for (k = 0; k < INPUTS; k++) {
                        in[k] = malloc(in_sizes[k] * sizeof(float) + 1);
                        if (!in[k]) return fail("out of memory");
                    }
                    for (k = 0; k < OUTPUTS; k++) {
                        out[k] = malloc(out_sizes[k] * sizeof(float) + 1);
                        if (!out[k]) return fail("out of memory");
                    }
                    for (;;) {
                        long r;
                        int c = getc(fin);
                        if (c == EOF) break;
                        ungetc(c, fin);
                        for (k = 0; k < INPUTS; k++) {
                            if (fread(in[k], sizeof(float), in_sizes[k], fin) != in_sizes[k]) return fail("short input file");
                        }
                        for (r = 0; r < repeat; r++) {
                            %6$s
                        }
                        for (k = 0; k < OUTPUTS; k++) {
                            if (fwrite(out[k], sizeof(float), out_sizes[k], fout) != out_sizes[k]) return fail("cannot write");
                        }
                    }
                    return fclose(fout) == 0 ? 0 : fail("cannot write");
                }
                """.formatted(inputs, outputs, name, single ? "in[0], out[0]" : "(const float *const *) in, out",
                thin ? "int interval = argc > 4 ? atoi(argv[4]) : " + model.intervals().get(0) + ";" : "",
                thin ? "if (" + name + "_run_thin(" + (single ? "in[0], out[0]" : "(const float *const *) in, out")
                        + ", interval) != 0) return fail(\"unsupported interval\");"
                        : name + "_run(" + (single ? "in[0], out[0]" : "(const float *const *) in, out") + ");"));
        return c.toString();
    }
}
