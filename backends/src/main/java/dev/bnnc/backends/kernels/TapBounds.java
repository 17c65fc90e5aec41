package dev.bnnc.backends.kernels;

/** The kernel taps of a sliding window that land inside the input, for convolutions that skip padding. */
final class TapBounds {
    private TapBounds() {}

    /**
     * Declares {@code klo<i>}, {@code khi<i>}: the taps {@code k} along axis i whose input position
     * {@code o*stride - pad + k*dilation} lies inside the input, for the output position {@code o<i>}.
     */
    static void emit(CodeWriter w, Dialect d, int i, int in, int out, int kernel, int stride, int dilation, int pad) {
        String o = Index.times("o" + i, stride);
        if (pad == 0 && (out - 1) * stride + (kernel - 1) * dilation < in) {
            w.line("int klo" + i + " = 0;");
            w.line("int khi" + i + " = " + kernel + ";");
            return;
        }
        // klo = max(0, ceil((pad - o*s) / d)): for a non-positive numerator truncation gives <= 0, which max() clamps.
        w.line("int klo" + i + " = " + d.imax("0", "(" + (pad + dilation - 1) + " - " + o + ") / " + dilation) + ";");
        // khi = min(K, floor((in - 1 + pad - o*s) / d) + 1), the numerator shifted to be non-negative so
        // that truncating division floors.
        int shift = ((out - 1) * stride) / dilation + 1;
        w.line("int khi" + i + " = " + d.imin(String.valueOf(kernel),
                "(" + (in - 1 + pad + shift * dilation) + " - " + o + ") / " + dilation + " - " + (shift - 1)) + ";");
    }
}
