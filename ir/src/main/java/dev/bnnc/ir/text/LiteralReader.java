package dev.bnnc.ir.text;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.text.IrTextParser.AttributeValueContext;
import dev.bnnc.ir.text.IrTextParser.BoolValueContext;
import dev.bnnc.ir.text.IrTextParser.ElidedElementsContext;
import dev.bnnc.ir.text.IrTextParser.IntListValueContext;
import dev.bnnc.ir.text.IrTextParser.NumberContext;
import dev.bnnc.ir.text.IrTextParser.NumberValueContext;
import dev.bnnc.ir.text.IrTextParser.SymbolValueContext;
import dev.bnnc.ir.text.IrTextParser.TensorElementsContext;
import dev.bnnc.ir.text.IrTextParser.TensorValueContext;
import dev.bnnc.ir.text.IrTextParser.TypeContext;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Turns the literals of the text form (types, numbers, lists, tensors) into attribute values. */
final class LiteralReader {
    private LiteralReader() {}

    /** The value of attribute {@code a} of {@code opName} as written in {@code ctx}. */
    static Object attribute(String opName, OpSchema.Attribute a, AttributeValueContext ctx) {
        Object value = switch (a.kind()) {
            case INT -> ctx instanceof NumberValueContext n && n.number().INT() != null
                    ? intValue(n.number().INT().getSymbol()) : null;
            case FLOAT -> ctx instanceof NumberValueContext n ? floatValue(n.number()) : null;
            case BOOLEAN -> ctx instanceof BoolValueContext b ? b.getText().equals("true") : null;
            case ELEMENT_TYPE -> ctx instanceof SymbolValueContext s ? elementType(s.IDENT().getSymbol()) : null;
            case ENUM -> ctx instanceof SymbolValueContext s ? enumConstant(a.type(), s.IDENT().getSymbol()) : null;
            case INT_LIST -> ctx instanceof IntListValueContext l ? ints(l.INT()) : null;
            case TENSOR -> ctx instanceof TensorValueContext t ? tensor(t) : null;
        };
        if (value == null) {
            throw IrSyntaxException.at(ctx.getStart(), "attribute '" + a.name() + "' of " + opName + " is "
                    + expectation(a) + ", got '" + ctx.getText() + "'");
        }
        return value;
    }

    static TensorType type(TypeContext ctx) {
        DType dtype = elementType(ctx.IDENT().getSymbol());
        int[] dims = ctx.INT().stream().mapToInt(t -> intValue(t.getSymbol())).toArray();
        try {
            return new TensorType(dtype, Shape.of(dims));
        } catch (IrException e) {
            throw IrSyntaxException.at(ctx.getStart(), e.getMessage());
        }
    }

    private static Tensor tensor(TensorValueContext ctx) {
        TensorType type = type(ctx.type());
        if (ctx.tensorData() instanceof ElidedElementsContext elided) {
            throw IrSyntaxException.at(elided.getStart(), "the values of this " + type + " tensor were elided "
                    + "when it was printed; print the graph without elision to parse it");
        }
        List<NumberContext> numbers = ((TensorElementsContext) ctx.tensorData()).number();
        if (numbers.size() != type.size()) {
            throw IrSyntaxException.at(ctx.tensorData().getStart(), "a " + type + " tensor has " + type.size()
                    + " values, " + numbers.size() + " given");
        }
        if (type.dtype() == DType.F32) {
            float[] data = new float[numbers.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = floatValue(numbers.get(i));
            }
            return Tensor.adoptFloats(type.shape(), data);
        }
        long[] data = new long[numbers.size()];
        for (int i = 0; i < data.length; i++) {
            TerminalNode integer = numbers.get(i).INT();
            if (integer == null) {
                throw IrSyntaxException.at(numbers.get(i).getStart(), "an " + type.dtype().textName() + " tensor holds integers, got '"
                        + numbers.get(i).getText() + "'");
            }
            data[i] = longValue(integer.getSymbol());
        }
        return type.dtype() == DType.BITS ? Tensor.adoptBits(type.shape(), data) : Tensor.adoptLongs(type.shape(), data);
    }

    private static List<Integer> ints(List<TerminalNode> tokens) {
        return tokens.stream().map(t -> intValue(t.getSymbol())).toList();
    }

    private static int intValue(Token t) {
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            throw IrSyntaxException.at(t, t.getText() + " does not fit in 32 bits");
        }
    }

    private static long longValue(Token t) {
        try {
            return Long.parseLong(t.getText());
        } catch (NumberFormatException e) {
            throw IrSyntaxException.at(t, t.getText() + " does not fit in 64 bits");
        }
    }

    /** The float a number spells; the printer's {@link Float#toString} spellings read back exactly. */
    private static float floatValue(NumberContext ctx) {
        float f = Float.parseFloat(ctx.getText());
        if (Float.isInfinite(f) && ctx.SPECIAL_FLOAT() == null) {
            throw IrSyntaxException.at(ctx.getStart(), ctx.getText() + " is out of the f32 range");
        }
        return f;
    }

    private static DType elementType(Token t) {
        for (DType d : DType.values()) {
            if (d.textName().equals(t.getText())) {
                return d;
            }
        }
        List<String> names = Arrays.stream(DType.values()).map(DType::textName).toList();
        throw IrSyntaxException.at(t, "unknown element type '" + t.getText() + "' (expected "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1) + ")");
    }

    private static Object enumConstant(Class<?> enumType, Token t) {
        for (Object c : enumType.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(t.getText())) {
                return c;
            }
        }
        throw IrSyntaxException.at(t, "'" + t.getText() + "' is not " + enumExpectation(enumType));
    }

    private static String expectation(OpSchema.Attribute a) {
        return switch (a.kind()) {
            case INT -> "an integer";
            case FLOAT -> "a number";
            case BOOLEAN -> "true or false";
            case ELEMENT_TYPE -> "an element type";
            case ENUM -> enumExpectation(a.type());
            case INT_LIST -> "a list of integers like [1,2]";
            case TENSOR -> "a tensor like dense<f32[2]> [1.0, 2.0]";
        };
    }

    private static String enumExpectation(Class<?> enumType) {
        return "one of " + Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                .collect(Collectors.joining(", "));
    }
}
