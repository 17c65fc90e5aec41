package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertClose;
import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.i64;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.DType;
import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Binary;
import dev.bnnc.ir.ops.BinaryFn;
import dev.bnnc.ir.ops.Cast;
import dev.bnnc.ir.ops.Clip;
import dev.bnnc.ir.ops.Elu;
import dev.bnnc.ir.ops.LeakyRelu;
import dev.bnnc.ir.ops.Selu;
import dev.bnnc.ir.ops.Unary;
import dev.bnnc.ir.ops.UnaryFn;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    private static final Tensor X = f32(dims(5), -2, -0.5f, 0, 0.5f, 3);

    private static Tensor unary(UnaryFn fn, Tensor x) {
        return eval(new Unary(fn), x);
    }

    @Test
    void exactUnaryFunctions() {
        assertTensor(f32(dims(5), 0, 0, 0, 0.5f, 3), unary(UnaryFn.RELU, X));
        assertTensor(f32(dims(5), 2, 0.5f, -0.0f, -0.5f, -3), unary(UnaryFn.NEG, X));
        assertTensor(f32(dims(5), 2, 0.5f, 0, 0.5f, 3), unary(UnaryFn.ABS, X));
        assertTensor(f32(dims(5), -1, -1, 0, 1, 1), unary(UnaryFn.SIGN, X));
        assertTensor(f32(dims(5), -0.5f, -2, Float.POSITIVE_INFINITY, 2, 1 / 3f), unary(UnaryFn.RECIPROCAL, X));
        assertTensor(f32(dims(3), 0, 2, 3), unary(UnaryFn.SQRT, f32(dims(3), 0, 4, 9)));
        assertTensor(f32(dims(5), -2f / 3, -1f / 3, 0, 1f / 3, 0.75f), unary(UnaryFn.SOFTSIGN, X));

        Tensor halves = f32(dims(7), -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f);
        assertTensor(f32(dims(7), -2, -2, -0.0f, 0, 2, 2, 2), unary(UnaryFn.ROUND, halves));
        assertTensor(f32(dims(7), -3, -2, -1, 0, 1, 2, 2), unary(UnaryFn.FLOOR, halves));
        assertTensor(f32(dims(7), -2, -1, -0.0f, 1, 2, 3, 3), unary(UnaryFn.CEIL, halves));
        assertTensor(f32(dims(3), Float.NaN, Float.NEGATIVE_INFINITY, 0), unary(UnaryFn.LOG, f32(dims(3), -1, 0, 1)));
    }

    @Test
    void transcendentalUnaryFunctions() {
        Tensor x = f32(dims(4), -1, 0, 2, 30);
        assertClose(f32(dims(4), 0.26894142f, 0.5f, 0.88079708f, 1), unary(UnaryFn.SIGMOID, x), 1e-7);
        assertClose(f32(dims(4), -0.76159416f, 0, 0.96402758f, 1), unary(UnaryFn.TANH, x), 1e-7);
        assertClose(f32(dims(3), 0.36787944f, 1, 7.3890561f), unary(UnaryFn.EXP, f32(dims(3), -1, 0, 2)), 1e-6);
        assertClose(f32(dims(4), 0.31326169f, 0.69314718f, 2.12692801f, 30), unary(UnaryFn.SOFTPLUS, x), 1e-6);
    }

    @Test
    void integerUnaryFunctions() {
        Tensor x = i64(dims(3), -3, 0, 5);
        assertTensor(i64(dims(3), 3, 0, -5), unary(UnaryFn.NEG, x));
        assertTensor(i64(dims(3), 3, 0, 5), unary(UnaryFn.ABS, x));
        assertTensor(i64(dims(3), -1, 0, 1), unary(UnaryFn.SIGN, x));
        IrException e = assertThrows(IrException.class, () -> unary(UnaryFn.SIGMOID, x));
        assertTrue(e.getMessage().startsWith("Unary") && e.getMessage().contains("SIGMOID"), e.getMessage());
    }

    @Test
    void parameterizedActivations() {
        Tensor x = f32(dims(4), -2, -1, 0, 3);
        assertTensor(f32(dims(4), -0.2f, -0.1f, 0, 3), eval(new LeakyRelu(0.1f), x));
        assertClose(f32(dims(4), -0.86466472f, -0.63212056f, 0, 3), eval(new Elu(1), x), 1e-7);
        assertClose(f32(dims(4), 2 * -0.86466472f, 2 * -0.63212056f, 0, 3), eval(new Elu(2), x), 1e-7);
        float alpha = 1.6732632f;
        float gamma = 1.050701f;
        assertClose(f32(dims(4), gamma * alpha * -0.86466472f, gamma * alpha * -0.63212056f, 0, gamma * 3),
                eval(new Selu(alpha, gamma), x), 1e-6);
        assertTensor(f32(dims(4), -1, -1, 0, 2), eval(new Clip(-1, 2), x));
        assertTensor(x, eval(new Clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY), x));
    }

    @Test
    void floatBinaryFunctions() {
        Tensor a = f32(dims(4), 1, -2, 2, 4);
        Tensor b = f32(dims(4), 4, 0, 3, 0.5f);
        assertTensor(f32(dims(4), 5, -2, 5, 4.5f), eval(new Binary(BinaryFn.ADD), a, b));
        assertTensor(f32(dims(4), -3, -2, -1, 3.5f), eval(new Binary(BinaryFn.SUB), a, b));
        assertTensor(f32(dims(4), 4, -0.0f, 6, 2), eval(new Binary(BinaryFn.MUL), a, b));
        assertTensor(f32(dims(4), 0.25f, Float.NEGATIVE_INFINITY, 2f / 3, 8), eval(new Binary(BinaryFn.DIV), a, b));
        assertTensor(f32(dims(4), 1, 1, 8, 2), eval(new Binary(BinaryFn.POW), a, b));
        assertTensor(f32(dims(4), 4, 0, 3, 4), eval(new Binary(BinaryFn.MAX), a, b));
        assertTensor(f32(dims(4), 1, -2, 2, 0.5f), eval(new Binary(BinaryFn.MIN), a, b));
        assertTensor(f32(dims(4), 1, -0.0f, 2, 4), eval(new Binary(BinaryFn.PRELU), a, b));
    }

    @Test
    void floatArithmeticIsSinglePrecision() {
        // In double, 16777216 + 1 is exact; in float it rounds back to 16777216.
        Tensor big = f32(dims(1), 16777216f);
        assertTensor(big, eval(new Binary(BinaryFn.ADD), big, f32(dims(1), 1)));
    }

    @Test
    void broadcasting() {
        Tensor a = f32(dims(2, 3), 1, 2, 3, 4, 5, 6);
        assertTensor(f32(dims(2, 3), 11, 22, 33, 14, 25, 36),
                eval(new Binary(BinaryFn.ADD), a, f32(dims(3), 10, 20, 30)));
        assertTensor(f32(dims(2, 3), 0, 1, 2, 3, 4, 5), eval(new Binary(BinaryFn.SUB), a, Tensor.scalar(1)));
        assertTensor(f32(dims(2, 3), 1, 2, 3, 2, 4, 6),
                eval(new Binary(BinaryFn.MUL), f32(dims(2, 1), 1, 2), f32(dims(1, 3), 1, 2, 3)));
        assertTensor(f32(dims(2, 2, 3), 11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26),
                eval(new Binary(BinaryFn.ADD), f32(dims(2, 1, 3), 1, 2, 3, 4, 5, 6), f32(dims(2, 1), 10, 20)));
        // The right operand broadcast against the left one, in the other direction.
        assertTensor(f32(dims(2, 3), 9, 18, 27, 6, 15, 24),
                eval(new Binary(BinaryFn.SUB), f32(dims(3), 10, 20, 30), a));
        // PRelu with a slope per row (channel), then per column.
        Tensor x = f32(dims(2, 2), -1, 2, -3, 4);
        assertTensor(f32(dims(2, 2), -0.5f, 2, -0.75f, 4),
                eval(new Binary(BinaryFn.PRELU), x, f32(dims(2, 1), 0.5f, 0.25f)));
        assertTensor(f32(dims(2, 2), -0.5f, 2, -1.5f, 4),
                eval(new Binary(BinaryFn.PRELU), x, f32(dims(2), 0.5f, 0.25f)));
    }

    @Test
    void integerBinaryFunctions() {
        Tensor a = i64(dims(2, 2), 7, -7, 7, -7);
        Tensor b = i64(dims(2), 2, -2);
        assertTensor(i64(dims(2, 2), 9, -9, 9, -9), eval(new Binary(BinaryFn.ADD), a, b));
        assertTensor(i64(dims(2, 2), 5, -5, 5, -5), eval(new Binary(BinaryFn.SUB), a, b));
        assertTensor(i64(dims(2, 2), 14, 14, 14, 14), eval(new Binary(BinaryFn.MUL), a, b));
        assertTensor(i64(dims(2, 2), 3, 3, 3, 3), eval(new Binary(BinaryFn.DIV), a, b));
        assertTensor(i64(dims(2), 3, -3), eval(new Binary(BinaryFn.DIV), i64(dims(2), 7, -7), i64(dims(), 2)));
        assertTensor(i64(dims(2, 2), 7, -2, 7, -2), eval(new Binary(BinaryFn.MAX), a, b));
        assertTensor(i64(dims(2, 2), 2, -7, 2, -7), eval(new Binary(BinaryFn.MIN), a, b));
        assertTensor(i64(dims(2), 1024, 9), eval(new Binary(BinaryFn.POW), i64(dims(2), 2, 3), i64(dims(2), 10, 2)));
        // Values beyond float's 24-bit mantissa stay exact.
        long big = (1L << 53) + 1;
        assertTensor(i64(dims(1), big + 2), eval(new Binary(BinaryFn.ADD), i64(dims(1), big), i64(dims(1), 2)));
    }

    @Test
    void integerDivisionByZeroFails() {
        IrException e = assertThrows(IrException.class,
                () -> eval(new Binary(BinaryFn.DIV), i64(dims(2), 1, 2), i64(dims(2), 1, 0)));
        assertTrue(e.getMessage().startsWith("Binary") && e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void mixedOperandTypesFail() {
        IrException e = assertThrows(IrException.class,
                () -> eval(new Binary(BinaryFn.ADD), f32(dims(1), 1), i64(dims(1), 1)));
        assertTrue(e.getMessage().startsWith("Binary"), e.getMessage());
    }

    @Test
    void castTruncatesToIntegerAndRoundsToFloat() {
        assertTensor(i64(dims(6), -1, 0, 0, 2, 3_000_000_000L, 0),
                eval(new Cast(DType.I64), f32(dims(6), -1.7f, -0.5f, 0.5f, 2.9f, 3e9f, Float.NaN)));
        long p24 = 1L << 24;
        // 2^24 + 1 and 2^24 + 3 are ties between floats: they round to the even neighbour.
        assertTensor(f32(dims(4), -5, 16777216f, 16777220f, 16777218f),
                eval(new Cast(DType.F32), i64(dims(4), -5, p24 + 1, p24 + 3, p24 + 2)));
        Tensor same = i64(dims(1), 4);
        assertSame(same, eval(new Cast(DType.I64), same));
    }
}
