package dev.bnnc.cli;

import dev.bnnc.backends.c.CToolchain;
import dev.bnnc.backends.java.JavaSourceCompiler;
import dev.bnnc.frontend.onnx.ImportException;
import dev.bnnc.ir.IrException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bnnc}: compile ONNX models to dependency-free Java and C. */
@Command(name = "bnnc", mixinStandardHelpOptions = true, version = "bnnc 0.1.0",
        description = "Compiles trained ONNX models (float, binarized) into dependency-free source code.",
        subcommands = {CompileCommand.class, VerifyCommand.class, InspectCommand.class, TbaCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad input: a malformed model, an unsupported op, a wrong flag. */
    static final int BAD_INPUT = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: compile, verify, inspect or tba");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs bnnc with the given arguments; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.matchedOption("--debug") != null
                    || parseResult.subcommands().stream().anyMatch(p -> p.matchedOption("--debug") != null);
            if (debug) {
                e.printStackTrace(err);
            }
            if (isUserFacing(e)) {
                err.println("bnnc: error: " + e.getMessage());
                return BAD_INPUT;
            }
            err.println("bnnc: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            return 3;
        });
        // A bad flag or value: one line naming it and where the options are, not the whole usage.
        cl.setParameterExceptionHandler((e, arguments) -> {
            err.println("bnnc: error: " + e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help)");
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    /** Errors caused by the input, reported as one line; anything else is a bug in bnnc. */
    private static boolean isUserFacing(Exception e) {
        return e instanceof UserException || e instanceof ImportException || e instanceof IrException
                || e instanceof JavaSourceCompiler.CompilationException || e instanceof CToolchain.CompileException;
    }
}
