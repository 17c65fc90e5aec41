package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.iota;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Pool;
import dev.bnnc.ir.ops.PoolKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand; the ceil-mode and padding cases agree with ONNX Runtime 1.22. */
class PoolTest {
    private static Pool pool(PoolKind kind, int k, int stride, int padBegin, int padEnd, int dilation, boolean ceil,
                             boolean countPad) {
        return new Pool(kind, List.of(k), List.of(stride), List.of(padBegin, padEnd), List.of(dilation), ceil, countPad);
    }

    @Test
    void maxPool2d() {
        Pool op = new Pool(PoolKind.MAX, List.of(2, 2), List.of(2, 2), List.of(0, 0, 0, 0), List.of(1, 1), false, false);
        assertTensor(f32(dims(1, 1, 2, 2), 6, 8, 14, 16), eval(op, iota(1, 1, 4, 4)));
    }

    @Test
    void maxPoolPaddingIsNegativeInfinity() {
        Tensor x = f32(dims(1, 1, 3), -1, -2, -3);
        assertTensor(f32(dims(1, 1, 4), -1, -1, -2, -3), eval(pool(PoolKind.MAX, 2, 1, 1, 1, 1, false, false), x));
    }

    @Test
    void maxPoolDilatedCeilMode() {
        // Windows read (-1, 1), (1, 3), (3, 5), (5, 7): the last one reaches past the end pad.
        assertTensor(f32(dims(1, 1, 4), 2, 4, 6, 6), eval(pool(PoolKind.MAX, 2, 2, 1, 1, 2, true, false), iota(1, 1, 6)));
    }

    @Test
    void averagePoolCountIncludePad() {
        // Windows over 1..5 with one pad each side: (-1, 0, 1), (1, 2, 3), (3, 4, 5).
        Tensor x = iota(1, 1, 5);
        assertTensor(f32(dims(1, 1, 3), 1.5f, 3, 4.5f), eval(pool(PoolKind.AVERAGE, 3, 2, 1, 1, 1, true, false), x));
        assertTensor(f32(dims(1, 1, 3), 1, 3, 3), eval(pool(PoolKind.AVERAGE, 3, 2, 1, 1, 1, true, true), x));
    }

    @Test
    void averagePoolCeilOverhangIsNotCounted() {
        // The last window (4, 5, 6) of 1..6 reaches one past the input, with no pad there.
        Tensor x = iota(1, 1, 6);
        assertTensor(f32(dims(1, 1, 3), 2, 4, 5.5f), eval(pool(PoolKind.AVERAGE, 3, 2, 0, 0, 1, true, true), x));
        assertTensor(f32(dims(1, 1, 3), 2, 4, 5.5f), eval(pool(PoolKind.AVERAGE, 3, 2, 0, 0, 1, true, false), x));
        // With an end pad of 1 the last window (6, 7, 8) of 1..8 counts the pad position 8.
        Tensor y = iota(1, 1, 8);
        assertTensor(f32(dims(1, 1, 4), 2, 4, 6, 5), eval(pool(PoolKind.AVERAGE, 3, 2, 0, 1, 1, true, true), y));
        assertTensor(f32(dims(1, 1, 4), 2, 4, 6, 7.5f), eval(pool(PoolKind.AVERAGE, 3, 2, 0, 1, 1, true, false), y));
    }

    @Test
    void averagePoolDilated() {
        // Kernel 3, dilation 2, pads (2, 1) over 1..6: windows (-2, 0, 2), (-1, 1, 3), ..., (2, 4, 6).
        Tensor x = iota(1, 1, 6);
        assertTensor(f32(dims(1, 1, 5), 4f / 3, 2, 3, 4, 8f / 3),
                eval(pool(PoolKind.AVERAGE, 3, 1, 2, 1, 2, false, true), x));
        assertTensor(f32(dims(1, 1, 5), 2, 3, 3, 4, 4), eval(pool(PoolKind.AVERAGE, 3, 1, 2, 1, 2, false, false), x));
        // Dilated with ceil mode: the last window (5, 7) has one position past the end pad.
        assertTensor(f32(dims(1, 1, 4), 1, 3, 5, 6), eval(pool(PoolKind.AVERAGE, 2, 2, 1, 1, 2, true, true), x));
        assertTensor(f32(dims(1, 1, 4), 2, 3, 5, 6), eval(pool(PoolKind.AVERAGE, 2, 2, 1, 1, 2, true, false), x));
    }

    @Test
    void averagePool2dCeilModeWithPads() {
        Tensor x = iota(1, 1, 5, 5);
        Pool exclude = new Pool(PoolKind.AVERAGE, List.of(3, 2), List.of(2, 2), List.of(1, 0, 1, 1), List.of(1, 1),
                true, false);
        assertTensor(f32(dims(1, 1, 3, 3), 4, 6, 7.5f, 11.5f, 13.5f, 15, 19, 21, 22.5f), eval(exclude, x));
        Pool include = new Pool(PoolKind.AVERAGE, List.of(3, 2), List.of(2, 2), List.of(1, 0, 1, 1), List.of(1, 1),
                true, true);
        assertTensor(f32(dims(1, 1, 3, 3), 16f / 6, 4, 2.5f, 11.5f, 13.5f, 7.5f, 76f / 6, 14, 7.5f), eval(include, x));
    }

    @Test
    void poolsEveryChannelAndBatchSeparately() {
        Tensor x = f32(dims(2, 2, 2), 1, 3, 5, 7, -1, -3, 10, 20);
        Pool op = pool(PoolKind.AVERAGE, 2, 1, 0, 0, 1, false, false);
        assertTensor(f32(dims(2, 2, 1), 2, 6, -2, 15), eval(op, x));
    }
}
