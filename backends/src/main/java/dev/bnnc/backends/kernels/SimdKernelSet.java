package dev.bnnc.backends.kernels;

import dev.bnnc.ir.Node;
import java.util.List;
import java.util.Optional;

/**
 * The instruction sets the C backend has SIMD binary kernels for (and, with AVX-512, float
 * convolutions whose tails run on the vectors, see {@link X86BitKernels#floatConv}). A set's sections of a step are
 * compiled where the compiler's macros say the instruction set is there ({@link #features}; at
 * most one set is), under a macro of its own ({@link #guard}), in front of the portable kernel.
 */
public enum SimdKernelSet {
    /** ARMv8 A64 NEON ({@link NeonBitKernels}). */
    NEON("BNNC_NEON_A64", "defined(__ARM_NEON) && defined(__aarch64__)", "arm_neon.h"),
    /** x86-64 AVX-512 with VPOPCNTQ, and FMA, which every such CPU has ({@link X86BitKernels}). */
    AVX512("BNNC_AVX512_BITS", Features.AVX512, "immintrin.h"),
    /** x86-64 AVX2 where AVX-512 with VPOPCNTQ is missing ({@link X86BitKernels}, in 4-lane vectors). */
    AVX2("BNNC_AVX2_BITS", "defined(__AVX2__) && !(" + Features.AVX512 + ")", "immintrin.h");

    private static final class Features {
        static final String AVX512 = "defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__)"
                + " && defined(__AVX512VL__) && defined(__AVX512VPOPCNTDQ__) && defined(__FMA__)";
    }

    private final String guard;
    private final String features;
    private final String header;

    SimdKernelSet(String guard, String features, String header) {
        this.guard = guard;
        this.features = features;
        this.header = header;
    }

    /** The macro the kernels' sections are compiled under, defined where {@link #features} hold. */
    public String guard() {
        return guard;
    }

    /** The preprocessor condition on the compiler's macros for the instruction set. */
    public String features() {
        return features;
    }

    /** The intrinsics' header. */
    public String header() {
        return header;
    }

    /**
     * Statements that compute the step and return when they can (no zero in the input), to be
     * compiled where {@link #guard} is defined, before the portable kernel; empty for steps these
     * kernels do not cover.
     */
    public Optional<String> body(Node node, List<Node> tail, StepEnv env) {
        SimdBitKernels kernels = switch (this) {
            case NEON -> new NeonBitKernels(node, tail, env);
            case AVX512 -> new X86BitKernels(node, tail, env, true);
            case AVX2 -> new X86BitKernels(node, tail, env, false);
        };
        return kernels.body();
    }
}
