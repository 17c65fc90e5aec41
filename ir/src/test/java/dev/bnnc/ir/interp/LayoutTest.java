package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.i64;
import static dev.bnnc.ir.interp.TestTensors.iota;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Shape;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Concat;
import dev.bnnc.ir.ops.Constant;
import dev.bnnc.ir.ops.Expand;
import dev.bnnc.ir.ops.Gather;
import dev.bnnc.ir.ops.Identity;
import dev.bnnc.ir.ops.Pad;
import dev.bnnc.ir.ops.PadMode;
import dev.bnnc.ir.ops.Reshape;
import dev.bnnc.ir.ops.Slice;
import dev.bnnc.ir.ops.Split;
import dev.bnnc.ir.ops.Tile;
import dev.bnnc.ir.ops.Transpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
    /** [[1, 2, 3], [4, 5, 6]]. */
    private static final Tensor X = iota(2, 3);

    @Test
    void constantIdentityAndReshape() {
        assertSame(X, eval(new Constant(X)));
        assertSame(X, eval(new Identity(), X));
        assertTensor(f32(dims(3, 1, 2), 1, 2, 3, 4, 5, 6), eval(new Reshape(List.of(3, 1, 2)), X));
        assertTensor(i64(dims(2), 7, 8), eval(new Reshape(List.of(2)), i64(dims(1, 2), 7, 8)));
    }

    @Test
    void transpose() {
        assertTensor(f32(dims(3, 2), 1, 4, 2, 5, 3, 6), eval(new Transpose(List.of(1, 0)), X));
        assertTensor(i64(dims(2, 1), 7, 8), eval(new Transpose(List.of(1, 0)), i64(dims(1, 2), 7, 8)));
        Tensor x = iota(2, 3, 4);
        Tensor y = eval(new Transpose(List.of(2, 0, 1)), x);
        assertEquals(Shape.of(4, 2, 3), y.shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    // y[i][j][k] = x[j][k][i]
                    assertEquals(x.floatAt(j * 12 + k * 4 + i), y.floatAt(i * 6 + j * 3 + k));
                }
            }
        }
    }

    @Test
    void concatAndSplit() {
        Tensor left = f32(dims(2, 1), 10, 20);
        assertTensor(f32(dims(2, 4), 10, 1, 2, 3, 20, 4, 5, 6), eval(new Concat(1), left, X));
        assertTensor(f32(dims(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9), eval(new Concat(0), X, f32(dims(1, 3), 7, 8, 9)));
        assertTensor(i64(dims(3), 1, 2, 3), eval(new Concat(0), i64(dims(1), 1), i64(dims(2), 2, 3)));

        List<Tensor> parts = Interpreter.evaluate(new Split(1, List.of(1, 2)), List.of(X));
        assertEquals(2, parts.size());
        assertTensor(f32(dims(2, 1), 1, 4), parts.get(0));
        assertTensor(f32(dims(2, 2), 2, 3, 5, 6), parts.get(1));
        List<Tensor> rows = Interpreter.evaluate(new Split(0, List.of(1, 0, 1)), List.of(i64(dims(2), 5, 6)));
        assertTensor(i64(dims(1), 5), rows.get(0));
        assertTensor(i64(dims(0)), rows.get(1));
        assertTensor(i64(dims(1), 6), rows.get(2));
    }

    @Test
    void sliceWithNegativeSteps() {
        Tensor x = iota(2, 4);
        // Rows 0..1, columns 3 and 1.
        assertTensor(f32(dims(2, 2), 4, 2, 8, 6), eval(new Slice(List.of(0, 3), List.of(1, -2), List.of(2, 2)), x));
        // Reversed rows, columns 1..2.
        assertTensor(f32(dims(2, 2), 6, 7, 2, 3), eval(new Slice(List.of(1, 1), List.of(-1, 1), List.of(2, 2)), x));
        assertTensor(i64(dims(3), 4, 3, 2), eval(new Slice(List.of(3), List.of(-1), List.of(3)), i64(dims(5), 1, 2, 3, 4, 5)));
    }

    @Test
    void gatherWithTwoDimensionalIndices() {
        Tensor x = iota(3, 2);
        Tensor indices = i64(dims(2, 2), 2, 0, 1, 1);
        assertTensor(f32(dims(2, 2, 2), 5, 6, 1, 2, 3, 4, 3, 4), eval(new Gather(0, indices), x));
        assertTensor(f32(dims(3, 2, 2), 2, 1, 2, 2, 4, 3, 4, 4, 6, 5, 6, 6),
                eval(new Gather(1, i64(dims(2, 2), 1, 0, 1, 1)), x));
        // A scalar index drops the axis.
        assertTensor(f32(dims(2), 3, 6), eval(new Gather(1, i64(dims(), 2)), X));
        assertTensor(i64(dims(2), 30, 10), eval(new Gather(0, i64(dims(2), 2, 0)), i64(dims(3), 10, 20, 30)));
    }

    @Test
    void tile() {
        assertTensor(f32(dims(4, 3), 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6), eval(new Tile(List.of(2, 1)), X));
        assertTensor(f32(dims(2, 6), 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6), eval(new Tile(List.of(1, 2)), X));
        assertTensor(i64(dims(4), 1, 2, 1, 2), eval(new Tile(List.of(2)), i64(dims(2), 1, 2)));
    }

    @Test
    void expand() {
        assertTensor(f32(dims(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3),
                eval(new Expand(List.of(2, 1, 2)), f32(dims(3, 1), 1, 2, 3)));
        // The target shape may be smaller than the input's: the result is the broadcast shape.
        assertTensor(X, eval(new Expand(List.of(1)), X));
        assertTensor(i64(dims(2, 2), 4, 4, 4, 4), eval(new Expand(List.of(2, 2)), i64(dims(), 4)));
    }

    @Test
    void constantPad() {
        assertTensor(f32(dims(3, 6), 9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 9, 4, 5, 6, 9, 9),
                eval(new Pad(PadMode.CONSTANT, List.of(1, 1, 0, 2), 9), X));
        assertTensor(i64(dims(4), -1, 7, 8, -1), eval(new Pad(PadMode.CONSTANT, List.of(1, 1), -1), i64(dims(2), 7, 8)));
    }

    @Test
    void negativePadsCrop() {
        Tensor x = f32(dims(4), 1, 2, 3, 4);
        assertTensor(f32(dims(4), 2, 3, 4, 0), eval(new Pad(PadMode.CONSTANT, List.of(-1, 1), 0), x));
        assertTensor(f32(dims(2, 1), 2, 5), eval(new Pad(PadMode.CONSTANT, List.of(0, -1, 0, -1), 0), X));
        // Cropping one end and padding the other (values from ONNX Runtime).
        assertTensor(f32(dims(5), 2, 3, 4, 3, 2), eval(new Pad(PadMode.REFLECT, List.of(-1, 2), 0), x));
        assertTensor(f32(dims(5), 3, 2, 1, 2, 3), eval(new Pad(PadMode.REFLECT, List.of(2, -1), 0), x));
        assertTensor(f32(dims(2), 4, 4), eval(new Pad(PadMode.EDGE, List.of(-3, 1), 0), x));
        assertTensor(f32(dims(2), 1, 1), eval(new Pad(PadMode.EDGE, List.of(1, -3), 0), x));
    }

    @Test
    void reflectMustNotReachCroppedElements() {
        // ONNX Runtime crops first: [3, 4] cannot be reflect-padded by 2.
        IrException e = assertThrows(IrException.class,
                () -> eval(new Pad(PadMode.REFLECT, List.of(-2, 2), 0), f32(dims(4), 1, 2, 3, 4)));
        assertTrue(e.getMessage().startsWith("Pad"), e.getMessage());
    }

    @Test
    void reflectAndEdgePads() {
        Tensor x = iota(3, 4);
        // Values from ONNX Runtime: pads begin (1, -1), end (2, 2).
        assertTensor(f32(dims(6, 5),
                6, 7, 8, 7, 6,
                2, 3, 4, 3, 2,
                6, 7, 8, 7, 6,
                10, 11, 12, 11, 10,
                6, 7, 8, 7, 6,
                2, 3, 4, 3, 2), eval(new Pad(PadMode.REFLECT, List.of(1, -1, 2, 2), 0), x));
        // Pads begin (2, 1), end (-1, -2).
        assertTensor(f32(dims(4, 3),
                1, 1, 2,
                1, 1, 2,
                1, 1, 2,
                5, 5, 6), eval(new Pad(PadMode.EDGE, List.of(2, 1, -1, -2), 0), x));
        assertTensor(i64(dims(5), 7, 7, 8, 9, 9), eval(new Pad(PadMode.EDGE, List.of(1, 1), 0), i64(dims(3), 7, 8, 9)));
    }
}
