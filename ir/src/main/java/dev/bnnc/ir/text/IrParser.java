package dev.bnnc.ir.text;

import dev.bnnc.ir.Graph;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

/**
 * Reads the text form that {@link IrPrinter} writes (grammar: {@code IrText.g4}) into a verified
 * graph. The first error, syntactic or semantic, is thrown as an {@link IrSyntaxException} with its
 * line and column; nothing is printed to the console.
 */
public final class IrParser {
    private IrParser() {}

    public static Graph parse(String text) {
        IrTextLexer lexer = new IrTextLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(ThrowingErrorListener.INSTANCE);
        IrTextParser parser = new IrTextParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(ThrowingErrorListener.INSTANCE);
        return GraphReader.read(parser.graph());
    }

    /** Turns ANTLR's first lexer or parser error into an exception instead of console output. */
    private static final class ThrowingErrorListener extends BaseErrorListener {
        static final ThrowingErrorListener INSTANCE = new ThrowingErrorListener();

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                String msg, RecognitionException e) {
            throw new IrSyntaxException(line, charPositionInLine + 1, msg);
        }
    }
}
