package dev.bnnc.ir.interp;

import java.util.List;

/**
 * A sliding window over the spatial axes of a convolution or pooling, ONNX rules: along axis d,
 * output coordinate o and kernel index k read input coordinate
 * {@code o·stride[d] − padBegin[d] + k·dilation[d]}.
 */
final class Window {
    private final int[] in;
    private final int[] kernel;
    private final int[] out;
    private final int[] strides;
    private final int[] dilations;
    private final int[] padBegin;
    private final int[] padEnd;
    private final int kernelSize;

    /** {@code pads} as ONNX lays them out: all begin pads, then all end pads. */
    Window(int[] in, int[] kernel, int[] out, List<Integer> strides, List<Integer> dilations, List<Integer> pads) {
        int sr = in.length;
        this.in = in;
        this.kernel = kernel;
        this.out = out;
        this.strides = toArray(strides);
        this.dilations = toArray(dilations);
        this.padBegin = toArray(pads.subList(0, sr));
        this.padEnd = toArray(pads.subList(sr, 2 * sr));
        this.kernelSize = product(kernel);
    }

    /** Number of output positions. */
    int outputSize() {
        return product(out);
    }

    /** Number of input positions. */
    int inputSize() {
        return product(in);
    }

    /** Number of kernel positions. */
    int kernelSize() {
        return kernelSize;
    }

    /**
     * The kernel positions of output position {@code outPos} that fall inside the input, in
     * ascending row-major order: their flat kernel indices go to {@code kernelIndex} and the flat
     * input positions they read to {@code inputIndex}; returns how many there are.
     */
    int taps(int outPos, int[] kernelIndex, int[] inputIndex) {
        int sr = in.length;
        int[] first = firstCoordinates(outPos);
        int[] k = new int[sr];
        int count = 0;
        for (int kf = 0; kf < kernelSize; kf++) {
            int offset = 0;
            boolean inside = true;
            for (int d = 0; d < sr; d++) {
                int i = first[d] + k[d] * dilations[d];
                inside &= i >= 0 && i < in[d];
                offset = offset * in[d] + i;
            }
            if (inside) {
                kernelIndex[count] = kf;
                inputIndex[count] = offset;
                count++;
            }
            for (int d = sr - 1; d >= 0 && ++k[d] == kernel[d]; d--) {
                k[d] = 0;
            }
        }
        return count;
    }

    /**
     * Number of kernel positions of output position {@code outPos} inside the input or its explicit
     * pads (the average pool's divisor with {@code count_include_pad}); positions past the end pad,
     * which ceil mode can reach, do not count.
     */
    int paddedCount(int outPos) {
        int[] first = firstCoordinates(outPos);
        int count = 1;
        for (int d = 0; d < in.length; d++) {
            int n = 0;
            for (int k = 0; k < kernel[d]; k++) {
                int i = first[d] + k * dilations[d];
                if (i >= -padBegin[d] && i < in[d] + padEnd[d]) {
                    n++;
                }
            }
            count *= n;
        }
        return count;
    }

    /** Input coordinates read by kernel index 0 at output position {@code outPos}. */
    private int[] firstCoordinates(int outPos) {
        int[] first = new int[in.length];
        for (int d = in.length - 1, rest = outPos; d >= 0; d--) {
            first[d] = (rest % out[d]) * strides[d] - padBegin[d];
            rest /= out[d];
        }
        return first;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int product(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
