package dev.bnnc.backends.java;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated Java source in memory, as Android and Java 8 users would ({@code --release 8}),
 * and loads the class. Used by {@code bnnc verify} and the tests.
 */
public final class JavaSourceCompiler {
    private JavaSourceCompiler() {}

    /** Compile failure, with javac's diagnostics. */
    public static final class CompilationException extends RuntimeException {
        public CompilationException(String message) {
            super(message);
        }
    }

    /**
     * Compiles {@code source} (a single top-level class {@code qualifiedName}) and returns the loaded
     * class, in a fresh class loader.
     */
    public static Class<?> compile(String qualifiedName, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompilationException("no Java compiler available: run bnnc on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
        ForwardingJavaFileManager<StandardJavaFileManager> files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(
                URI.create("string:///" + qualifiedName.replace('.', '/') + JavaFileObject.Kind.SOURCE.extension),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter log = new StringWriter();
        List<String> options = List.of("--release", "8", "-Xlint:all", "-Xlint:-options", "-Werror", "-g:none");
        boolean ok = javac.getTask(log, files, diagnostics, options, null, List.of(unit)).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder("javac failed on " + qualifiedName + ":");
            diagnostics.getDiagnostics().forEach(d -> sb.append('\n').append(d));
            throw new CompilationException(sb.toString());
        }
        ClassLoader loader = new ClassLoader(JavaSourceCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        try {
            return loader.loadClass(qualifiedName);
        } catch (ClassNotFoundException e) {
            throw new CompilationException("javac produced no class " + qualifiedName);
        }
    }
}
