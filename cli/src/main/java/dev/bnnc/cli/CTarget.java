package dev.bnnc.cli;

import dev.bnnc.backends.c.CBackend;
import dev.bnnc.backends.c.CSources;

/** The generated C files: {@code NAME.h} and {@code NAME.c}, functions prefixed {@code NAME_}. */
public record CTarget(String name) {
    public CTarget {
        if (!CBackend.isValidName(name)) {
            throw new UserException("--name '" + name + "' is not a C identifier");
        }
    }

    public CSources generate(Compilation c) {
        return CBackend.generate(c.variants(), name, c.modelName());
    }
}
