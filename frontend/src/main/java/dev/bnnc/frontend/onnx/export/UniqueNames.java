package dev.bnnc.frontend.onnx.export;

import java.util.HashSet;
import java.util.Set;

/** Hands out distinct, non-empty names: the wanted one while it is free, else {@code wanted_1}, {@code wanted_2}, ... */
final class UniqueNames {
    private final Set<String> taken = new HashSet<>();

    String claim(String wanted) {
        // An empty name means "no value" in ONNX.
        String base = wanted.isEmpty() ? "_" : wanted;
        String name = base;
        for (int i = 1; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
