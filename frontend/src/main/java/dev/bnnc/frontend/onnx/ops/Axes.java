package dev.bnnc.frontend.onnx.ops;

import dev.bnnc.frontend.onnx.OnnxNode;
import dev.bnnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Normalization of ONNX axis and integer-list attributes into the IR's non-negative int form. */
final class Axes {
    private Axes() {}

    /** {@code axis} in [-rank, rank) made non-negative. */
    static int normalize(OnnxNode node, long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw node.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Axes normalized against {@code rank}, sorted ascending; a repeated axis is an error. */
    static List<Integer> normalizeSorted(OnnxNode node, List<Long> axes, int rank) {
        boolean[] seen = new boolean[rank];
        for (long a : axes) {
            int n = normalize(node, a, rank);
            if (seen[n]) {
                throw node.error("axes " + axes + " name axis " + n + " twice");
            }
            seen[n] = true;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (seen[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** Integer values as ints, failing with the node's name if one does not fit. */
    static List<Integer> toInts(OnnxNode node, List<Long> values, String what) {
        List<Integer> out = new ArrayList<>(values.size());
        for (long v : values) {
            if (v != (int) v) {
                throw node.error(what + " value " + v + " is out of range");
            }
            out.add((int) v);
        }
        return out;
    }

    /** The elements of an integer tensor (a shape, axes, pads input). */
    static List<Long> longs(Tensor t) {
        List<Long> out = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            out.add(t.longAt(i));
        }
        return out;
    }

    /** A list of {@code n} copies of {@code value}. */
    static List<Integer> repeat(int value, int n) {
        return Collections.nCopies(n, value);
    }

    /** Dimensions as a list, for the IR's attribute form. */
    static List<Integer> asList(int[] dims) {
        List<Integer> out = new ArrayList<>(dims.length);
        for (int d : dims) {
            out.add(d);
        }
        return out;
    }

    /** The axes {@code from, from+1, ..., to-1}. */
    static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int a = from; a < to; a++) {
            out.add(a);
        }
        return out;
    }
}
