package dev.bnnc.ir.text;

import static dev.bnnc.ir.text.GraphAssertions.assertSameGraph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.Graph;
import dev.bnnc.ir.GraphBuilder;
import dev.bnnc.ir.Node;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.TensorType;
import dev.bnnc.ir.Value;
import dev.bnnc.ir.ops.Conv;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IrParserTest {
    private static final String HEADER = "graph g(%x: f32[1,2,4,4]) -> (%y) {\n";
    private static final String UNARY_FNS =
            Arrays.stream(UnaryFn.values()).map(Enum::name).collect(Collectors.joining(", "));

    @Test
    void handWrittenTextParsesIntoTheExpectedGraph() {
        Graph parsed = IrParser.parse("""
                // Comments, free layout, attributes in any order, integers for floats.
                graph main(%x: f32[1,3,8,8]) -> (%a, %b) {
                  %w = Constant {value = dense<f32[2,3,1,1]> [0.5, -1, 2e0, 0.0, 1.0, 3.0]} : f32[2,3,1,1]
                  %c = Conv @conv1 {group = 1, strides = [1, 1], dilations = [1,1],
                                    pads = [0,0,0,0]} (%x, %w) : f32[1,2,8,8]
                  %y = LeakyRelu {alpha = 0} (%c) : f32[1,2,8,8]  // trailing comment
                  %a,%b=Split{axis=1,sizes=[1,1]}(%y):f32[1,1,8,8],f32[1,1,8,8]
                }
                """);

        GraphBuilder b = new GraphBuilder("main");
        Value x = b.input("x", TensorType.f32(1, 3, 8, 8));
        Value w = b.constant("w", Tensor.ofFloats(Shape.of(2, 3, 1, 1), 0.5f, -1f, 2f, 0f, 1f, 3f));
        Value c = b.add("conv1", new Conv(List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1), List.of(x, w),
                List.of("c")).output();
        Value y = b.add("y", new LeakyRelu(0f), c);
        Node split = b.add("a", new Split(1, List.of(1, 1)), List.of(y), List.of("a", "b"));
        split.outputs().forEach(b::output);
        assertSameGraph(b.build(), parsed);
    }

    @Test
    void aNodeWithoutNameIsNamedAfterItsFirstResult() {
        Graph g = IrParser.parse(HEADER + "  %y = Unary {fn = RELU} (%x) : f32[1,2,4,4]\n}\n");
        assertEquals("y", g.nodes().get(0).name());
        assertEquals(new Unary(UnaryFn.RELU), g.nodes().get(0).op());
    }

    private static void assertError(String text, String message) {
        IrSyntaxException e = assertThrows(IrSyntaxException.class, () -> IrParser.parse(text));
        assertEquals(message, e.getMessage());
    }

    private static void assertNodeError(String node, String message) {
        assertError(HEADER + "  " + node + "\n}\n", message);
    }

    @Test
    void unknownOp() {
        IrSyntaxException e = assertThrows(IrSyntaxException.class,
                () -> IrParser.parse(HEADER + "  %y = Relu (%x) : f32[1,2,4,4]\n}\n"));
        // The list of known ops grows with the op set; check its shape, not its content.
        assertTrue(e.getMessage().startsWith("2:8: unknown op 'Relu' (known ops: BatchNorm, Binary, "), e.getMessage());
        assertTrue(e.getMessage().contains(", Conv, ") && e.getMessage().endsWith(", Unary)"), e.getMessage());
    }

    @Test
    void unknownAttribute() {
        assertNodeError("%y = Unary {fn = RELU, alpha = 1.0} (%x) : f32[1,2,4,4]",
                "2:26: Unary has no attribute 'alpha' (it has fn)");
        assertNodeError("%y = Identity {fn = RELU} (%x) : f32[1,2,4,4]",
                "2:18: Identity has no attribute 'fn' (it has none)");
    }

    @Test
    void missingAttributes() {
        assertNodeError("%y = Conv {group = 1} (%x, %x) : f32[1,2,4,4]",
                "2:8: Conv is missing attributes strides, pads, dilations");
        assertNodeError("%y = Unary (%x) : f32[1,2,4,4]", "2:8: Unary is missing attribute fn");
    }

    @Test
    void attributeGivenTwice() {
        assertNodeError("%y = Unary {fn = RELU, fn = ABS} (%x) : f32[1,2,4,4]", "2:26: attribute 'fn' is given twice");
    }

    @Test
    void attributeOfTheWrongKind() {
        assertNodeError("%y = Softmax {axis = 1.0, log = false} (%x) : f32[1,2,4,4]",
                "2:24: attribute 'axis' of Softmax is an integer, got '1.0'");
        assertNodeError("%y = Softmax {axis = 1, log = 0} (%x) : f32[1,2,4,4]",
                "2:33: attribute 'log' of Softmax is true or false, got '0'");
        assertNodeError("%y = Unary {fn = [1]} (%x) : f32[1,2,4,4]",
                "2:20: attribute 'fn' of Unary is one of " + UNARY_FNS + ", got '[1]'");
        assertNodeError("%y = Unary {fn = relu} (%x) : f32[1,2,4,4]",
                "2:20: 'relu' is not one of " + UNARY_FNS);
        assertNodeError("%y = Cast {to = F32} (%x) : f32[1,2,4,4]",
                "2:19: unknown element type 'F32' (expected f32, i64 or b64)");
        assertNodeError("%y = Reshape {shape = [2, 99999999999]} (%x) : f32[1,2,4,4]",
                "2:29: 99999999999 does not fit in 32 bits");
        assertNodeError("%y = LeakyRelu {alpha = 1e39} (%x) : f32[1,2,4,4]", "2:27: 1e39 is out of the f32 range");
    }

    @Test
    void opsRejectInvalidAttributes() {
        assertNodeError("%y = Softmax {axis = -1, log = false} (%x) : f32[1,2,4,4]",
                "2:8: Softmax: axis must be normalized (non-negative), got -1");
    }

    @Test
    void wrongTypeAnnotation() {
        assertNodeError("%y = Unary {fn = RELU} (%x) : f32[1,2,4,5]",
                "2:33: %y is annotated f32[1,2,4,5] but Unary gives f32[1,2,4,4]");
        assertNodeError("%y = Cast {to = i64} (%x) : f32[1,2,4,4]",
                "2:31: %y is annotated f32[1,2,4,4] but Cast gives i64[1,2,4,4]");
    }

    @Test
    void operandsTheOpDoesNotAccept() {
        assertNodeError("%y = Softmax {axis = 4, log = false} (%x) : f32[1,2,4,4]",
                "2:8: Softmax: axis 4 is out of range for rank 4");
        assertNodeError("%y = Unary {fn = RELU} (%x, %x) : f32[1,2,4,4]", "2:8: Unary: expects 1 inputs, got 2");
    }

    @Test
    void resultCountsMustMatchTheOp() {
        assertNodeError("%y = Split {axis = 1, sizes = [1,1]} (%x) : f32[1,1,4,4]",
                "2:3: Split defines 2 results, 1 named");
        assertNodeError("%y, %z = Split {axis = 1, sizes = [1,1]} (%x) : f32[1,1,4,4]",
                "2:51: Split defines 2 results, 1 types given");
    }

    @Test
    void undefinedValue() {
        assertNodeError("%y = Unary {fn = RELU} (%z) : f32[1,2,4,4]", "2:27: value %z is not defined");
        assertError("graph g(%x: f32[1]) -> (%nope) {\n}\n", "1:25: value %nope is not defined");
    }

    @Test
    void valuesAreDefinedOnce() {
        assertNodeError("%x = Unary {fn = RELU} (%x) : f32[1,2,4,4]", "2:3: value %x is already defined at 1:9");
        assertNodeError("%y, %y = Split {axis = 1, sizes = [1,1]} (%x) : f32[1,1,4,4], f32[1,1,4,4]",
                "2:7: value %y is already defined at 2:3");
    }

    @Test
    void nodesAreNamedOnce() {
        assertError(HEADER + """
                  %a = Unary @n {fn = RELU} (%x) : f32[1,2,4,4]
                  %y = Unary @n {fn = RELU} (%a) : f32[1,2,4,4]
                }
                """, "3:14: node @n is already defined at 2:14");
        // A node without @name is named after its first result.
        assertError(HEADER + """
                  %a = Unary @y {fn = RELU} (%x) : f32[1,2,4,4]
                  %y = Unary {fn = RELU} (%a) : f32[1,2,4,4]
                }
                """, "3:3: node @y is already defined at 2:14");
    }

    @Test
    void elidedConstantsCannotBeParsed() {
        assertNodeError("%w = Constant {value = dense<f32[64,1,10,4]> <elided 2560 values>} : f32[64,1,10,4]",
                "2:48: the values of this f32[64,1,10,4] tensor were elided when it was printed; "
                        + "print the graph without elision to parse it");
    }

    @Test
    void tensorsNeedOneValuePerElement() {
        assertNodeError("%w = Constant {value = dense<f32[2,2]> [1.0, 2.0, 3.0]} : f32[2,2]",
                "2:42: a f32[2,2] tensor has 4 values, 3 given");
        assertNodeError("%w = Constant {value = dense<i64[2]> [1, 2.5]} : i64[2]",
                "2:44: an i64 tensor holds integers, got '2.5'");
        assertNodeError("%w = Constant {value = dense<f32[-2]> []} : f32[-2]",
                "2:32: negative dimension in shape [-2]");
    }

    @Test
    void syntaxErrorsHaveAPosition() {
        assertNodeError("%y = Unary {fn = RELU} (%x)", "3:1: mismatched input '}' expecting ':'");
        assertNodeError("%y = Unary {fn = RELU} (%x) $ f32[1,2,4,4]", "2:31: token recognition error at: '$'");
        assertError("graph g(%x: f32[1]) -> () {\n}\n", "1:25: missing VALUE at ')'");
    }

    @Test
    void emptyNamesAreRejected() {
        assertNodeError("%\"\" = Unary {fn = RELU} (%x) : f32[1,2,4,4]", "2:3: names must not be empty");
    }
}
