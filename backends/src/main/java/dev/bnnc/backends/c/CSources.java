package dev.bnnc.backends.c;

import java.util.List;

/**
 * A generated C model: {@code name.h} (the API) and {@code name.c} (weights and kernels), and for a
 * thinnable model the intervals {@code name_run_thin} accepts (else empty).
 */
public record CSources(String name, String header, String source, List<Integer> intervals) {
    public CSources {
        intervals = List.copyOf(intervals);
    }

    public String headerFile() {
        return name + ".h";
    }

    public String sourceFile() {
        return name + ".c";
    }
}
