package dev.bnnc.backends.kernels;

/** Builds linear index expressions such as {@code 12 + i0 * 40 + i1}, leaving out zero terms and unit factors. */
public final class Index {
    private Index() {}

    public static String linear(int base, String[] vars, int[] strides) {
        StringBuilder sb = new StringBuilder();
        if (base != 0) {
            sb.append(base);
        }
        for (int i = 0; i < vars.length; i++) {
            if (strides[i] == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(vars[i]);
            if (strides[i] != 1) {
                sb.append(" * ").append(strides[i]);
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /** {@code a + b} for index expressions, simplifying zeros. */
    public static String plus(String a, String b) {
        if (a.equals("0")) {
            return b;
        }
        if (b.equals("0")) {
            return a;
        }
        return a + " + " + b;
    }

    /** {@code var * factor}, simplifying factors 0 and 1. */
    public static String times(String var, int factor) {
        return factor == 0 ? "0" : factor == 1 ? var : var + " * " + factor;
    }
}
