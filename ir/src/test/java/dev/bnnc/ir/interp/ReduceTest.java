package dev.bnnc.ir.interp;

import static dev.bnnc.ir.interp.TestTensors.assertClose;
import static dev.bnnc.ir.interp.TestTensors.assertTensor;
import static dev.bnnc.ir.interp.TestTensors.dims;
import static dev.bnnc.ir.interp.TestTensors.eval;
import static dev.bnnc.ir.interp.TestTensors.f32;
import static dev.bnnc.ir.interp.TestTensors.i64;
import static dev.bnnc.ir.interp.TestTensors.iota;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bnnc.ir.IrException;
import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.ops.Reduce;
import dev.bnnc.ir.ops.ReduceFn;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceTest {
    /** [[1, 2, 3], [4, 5, 6]]. */
    private static final Tensor X = iota(2, 3);

    private static Reduce reduce(ReduceFn fn, boolean keepDims, Integer... axes) {
        return new Reduce(fn, List.of(axes), keepDims);
    }

    @Test
    void keepDimsBothWays() {
        assertTensor(f32(dims(2), 6, 15), eval(reduce(ReduceFn.SUM, false, 1), X));
        assertTensor(f32(dims(2, 1), 6, 15), eval(reduce(ReduceFn.SUM, true, 1), X));
        assertTensor(f32(dims(3), 5, 7, 9), eval(reduce(ReduceFn.SUM, false, 0), X));
        assertTensor(f32(dims(1, 3), 5, 7, 9), eval(reduce(ReduceFn.SUM, true, 0), X));
        assertTensor(f32(dims(), 21), eval(reduce(ReduceFn.SUM, false, 0, 1), X));
        assertTensor(f32(dims(1, 1), 21), eval(reduce(ReduceFn.SUM, true, 0, 1), X));
        // No axes: every element is its own reduction.
        assertTensor(f32(dims(2, 3), 1, 4, 9, 16, 25, 36), eval(reduce(ReduceFn.SUM_SQUARE, false), X));
    }

    @Test
    void everyFunction() {
        Tensor x = f32(dims(2, 3), -1, 2, -3, 4, 0, 4);
        assertTensor(f32(dims(2), -2f / 3, 8f / 3), eval(reduce(ReduceFn.MEAN, false, 1), x));
        assertTensor(f32(dims(2), 2, 4), eval(reduce(ReduceFn.MAX, false, 1), x));
        assertTensor(f32(dims(2), -3, 0), eval(reduce(ReduceFn.MIN, false, 1), x));
        assertTensor(f32(dims(2), 6, 0), eval(reduce(ReduceFn.PROD, false, 1), x));
        assertTensor(f32(dims(2), 14, 32), eval(reduce(ReduceFn.SUM_SQUARE, false, 1), x));
        assertTensor(f32(dims(2), 6, 8), eval(reduce(ReduceFn.L1, false, 1), x));
        assertTensor(f32(dims(3), 5, 2, 5), eval(reduce(ReduceFn.L2, false, 0), f32(dims(2, 3), 3, 2, 4, 4, 0, 3)));
        assertClose(f32(dims(2), 1.0986123f, 6.4076060f),
                eval(reduce(ReduceFn.LOG_SUM_EXP, false, 1), f32(dims(2, 3), 0, 0, 0, 4, 5, 6)), 1e-6);
    }

    @Test
    void logSumExpDoesNotOverflow() {
        assertClose(f32(dims(1), 100.693147f),
                eval(reduce(ReduceFn.LOG_SUM_EXP, false, 1), f32(dims(1, 2), 100, 100)), 1e-5);
        assertTensor(f32(dims(1), Float.NEGATIVE_INFINITY), eval(reduce(ReduceFn.LOG_SUM_EXP, false, 1),
                f32(dims(1, 2), Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY)));
    }

    @Test
    void severalAxes() {
        Tensor x = iota(2, 3, 2);
        // Axes 0 and 2: element (b) sums x[a][b][c] over a and c.
        assertTensor(f32(dims(3), 1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12),
                eval(reduce(ReduceFn.SUM, false, 0, 2), x));
        assertTensor(f32(dims(1, 3, 1), 8, 10, 12), eval(reduce(ReduceFn.MAX, true, 0, 2), x));
    }

    @Test
    void sumsInRowMajorOrder() {
        // (1e8 + 1) - 1e8 is 0 in float; any other order gives 1.
        assertTensor(f32(dims(1), 0), eval(reduce(ReduceFn.SUM, false, 1), f32(dims(1, 3), 1e8f, 1, -1e8f)));
        // Over axes 0 and 1 of a [3, 1] view the order is still the row-major one.
        assertTensor(f32(dims(), 0), eval(reduce(ReduceFn.SUM, false, 0, 1), f32(dims(3, 1), 1e8f, 1, -1e8f)));
    }

    @Test
    void integers() {
        Tensor x = i64(dims(2, 2), 1, 2, -1, -2);
        assertTensor(i64(dims(2), 3, -3), eval(reduce(ReduceFn.SUM, false, 1), x));
        assertTensor(i64(dims(2), 1, -1), eval(reduce(ReduceFn.MEAN, false, 1), x));
        assertTensor(i64(dims(1, 2), -1, -4), eval(reduce(ReduceFn.PROD, true, 0), x));
        assertTensor(i64(dims(2), 1, 2), eval(reduce(ReduceFn.MAX, false, 0), x));
        assertTensor(i64(dims(2), -1, -2), eval(reduce(ReduceFn.MIN, false, 0), x));
        assertTensor(i64(dims(2), 5, 5), eval(reduce(ReduceFn.SUM_SQUARE, false, 1), x));
        assertTensor(i64(dims(2), 3, 3), eval(reduce(ReduceFn.L1, false, 1), x));
        IrException e = assertThrows(IrException.class, () -> eval(reduce(ReduceFn.L2, false, 1), x));
        assertTrue(e.getMessage().startsWith("Reduce") && e.getMessage().contains("L2"), e.getMessage());
    }
}
