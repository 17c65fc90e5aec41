package dev.bnnc.examples.bench;

import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.cli.Compilation;
import dev.bnnc.cli.JavaTarget;
import dev.bnnc.cli.ModelCompiler;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/** A model compiled by bnnc to Java and loaded, callable without reflection overhead. */
final class GeneratedJava {
    private final Object instance;
    private final MethodHandle run;

    GeneratedJava(Path model) {
        this(ModelCompiler.compile(model, ModelCompiler.Options.defaults()), null);
    }

    /** A thinnable model's generated class, run at {@code interval} (null: plain {@code run}). */
    GeneratedJava(Compilation c, Integer interval) {
        JavaTarget target = new JavaTarget("bench", "Model");
        Class<?> cls = JavaSourceCompiler.compile(target.qualifiedName(), target.generate(c));
        try {
            instance = cls.getConstructor().newInstance();
            MethodHandle method = interval == null
                    ? MethodHandles.publicLookup().findVirtual(cls, "run", MethodType.methodType(void.class, float[].class, float[].class))
                    : MethodHandles.insertArguments(MethodHandles.publicLookup().findVirtual(cls, "run",
                            MethodType.methodType(void.class, float[].class, float[].class, int.class)), 3, interval);
            run = method.asType(MethodType.methodType(void.class, Object.class, float[].class, float[].class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void run(float[] input, float[] output) {
        try {
            run.invokeExact(instance, input, output);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
