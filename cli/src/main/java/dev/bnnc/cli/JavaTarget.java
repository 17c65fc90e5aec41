package dev.bnnc.cli;

import dev.bnnc.backends.java.JavaBackend;
import java.util.regex.Pattern;

/** Names and paths of the generated Java class. */
public record JavaTarget(String packageName, String className) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    public JavaTarget {
        if (!IDENTIFIER.matcher(className).matches()) {
            throw new UserException("--name '" + className + "' is not a Java class name");
        }
        if (!packageName.isEmpty()) {
            for (String part : packageName.split("\\.", -1)) {
                if (!IDENTIFIER.matcher(part).matches()) {
                    throw new UserException("--package '" + packageName + "' is not a Java package name");
                }
            }
        }
    }

    public String qualifiedName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }

    /** Path of the source file relative to the output folder. */
    public String sourcePath() {
        return qualifiedName().replace('.', '/') + ".java";
    }

    public String generate(Compilation c) {
        return JavaBackend.generate(c.variants(), packageName, className, c.modelName());
    }
}
