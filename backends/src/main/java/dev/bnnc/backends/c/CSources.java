package dev.bnnc.backends.c;

/** A generated C model: {@code name.h} (the API) and {@code name.c} (weights and kernels). */
public record CSources(String name, String header, String source) {
    public String headerFile() {
        return name + ".h";
    }

    public String sourceFile() {
        return name + ".c";
    }
}
