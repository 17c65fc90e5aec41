package dev.bnnc.backends.java;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.bnnc.backends.kernels.WeightStorage;
import dev.bnnc.ir.DType;
import dev.bnnc.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Bakes float weights into Java source so that multi-megabyte models still compile: each 32-bit word
 * becomes 5 characters of a base-85 alphabet without quote or backslash (Z85's), so a string literal
 * holds 12,000 floats within the class file's 65,535-byte constant limit at 1 byte per character,
 * and each weight array is rebuilt by its own small static method, keeping every method far below
 * the 64 KB code limit. Decoding runs once, when the class is initialized.
 */
final class WeightEncoding {
    static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    /** Floats per string literal: 60,000 characters. */
    static final int WORDS_PER_CHUNK = 12_000;
    /** Literals per decoding method (about 10 bytes of bytecode each). */
    static final int CHUNKS_PER_METHOD = 2_000;

    private WeightEncoding() {}

    /** The base-85 text of 32-bit words, most significant digit first. */
    static String encode(int[] words, int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * 5);
        char[] digits = new char[5];
        for (int i = from; i < to; i++) {
            long v = words[i] & 0xffffffffL;
            for (int j = 4; j >= 0; j--) {
                digits[j] = ALPHABET.charAt((int) (v % 85));
                v /= 85;
            }
            sb.append(digits);
        }
        return sb.toString();
    }

    /**
     * Fields and methods shared by the weight arrays: the digit table, the decoders (of floats, and
     * of ints and longs as used), and the row splitter if used.
     */
    static List<Object> decoderMembers(boolean withInts, boolean withLongs, boolean withRows) {
        FieldSpec alphabet = FieldSpec.builder(String.class, "ALPHABET", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$S", ALPHABET)
                .build();
        FieldSpec digits = FieldSpec.builder(byte[].class, "DIGITS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("digitTable()")
                .build();
        MethodSpec table = MethodSpec.methodBuilder("digitTable")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(byte[].class)
                .addStatement("byte[] d = new byte[128]")
                .beginControlFlow("for (int i = 0; i < 85; i++)")
                .addStatement("d[ALPHABET.charAt(i)] = (byte) i")
                .endControlFlow()
                .addStatement("return d")
                .build();
        MethodSpec word = MethodSpec.methodBuilder("word")
                .addJavadoc("The 32-bit word spelled by the 5 base-85 digits of {@code s} at {@code at}.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(String.class, "s")
                .addParameter(int.class, "at")
                .addStatement("int v = 0")
                .beginControlFlow("for (int j = 0; j < 5; j++)")
                .addStatement("v = v * 85 + DIGITS[s.charAt(at + j)]")
                .endControlFlow()
                .addStatement("return v")
                .build();
        MethodSpec decode = MethodSpec.methodBuilder("decode")
                .addJavadoc("Appends the floats encoded in {@code s} (5 digits each) to {@code dst} at {@code pos}.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(float[].class, "dst")
                .addParameter(int.class, "pos")
                .addParameter(String.class, "s")
                .beginControlFlow("for (int i = 0; i < s.length(); i += 5)")
                .addStatement("dst[pos++] = Float.intBitsToFloat(word(s, i))")
                .endControlFlow()
                .addStatement("return pos")
                .build();
        MethodSpec rows = MethodSpec.methodBuilder("rows")
                .addJavadoc("Splits {@code flat} into rows of {@code n}, each its own array so loops over rows vectorize.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(float[][].class)
                .addParameter(float[].class, "flat")
                .addParameter(int.class, "n")
                .addStatement("float[][] r = new float[flat.length / n][]")
                .beginControlFlow("for (int i = 0; i < r.length; i++)")
                .addStatement("r[i] = new float[n]")
                .addStatement("System.arraycopy(flat, i * n, r[i], 0, n)")
                .endControlFlow()
                .addStatement("return r")
                .build();
        MethodSpec decodeLongs = MethodSpec.methodBuilder("decodeLongs")
                .addJavadoc("Appends the longs encoded in {@code s} (10 digits each, high word first) to {@code dst}.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(long[].class, "dst")
                .addParameter(int.class, "pos")
                .addParameter(String.class, "s")
                .beginControlFlow("for (int i = 0; i < s.length(); i += 10)")
                .addStatement("dst[pos++] = ((long) word(s, i) << 32) | (word(s, i + 5) & 0xffffffffL)")
                .endControlFlow()
                .addStatement("return pos")
                .build();
        MethodSpec decodeInts = MethodSpec.methodBuilder("decodeInts")
                .addJavadoc("Appends the ints encoded in {@code s} (5 digits each) to {@code dst} at {@code pos}.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(int[].class, "dst")
                .addParameter(int.class, "pos")
                .addParameter(String.class, "s")
                .beginControlFlow("for (int i = 0; i < s.length(); i += 5)")
                .addStatement("dst[pos++] = word(s, i)")
                .endControlFlow()
                .addStatement("return pos")
                .build();
        List<Object> members = new ArrayList<>(List.of(alphabet, digits, table, word, decode));
        if (withInts) {
            members.add(decodeInts);
        }
        if (withLongs) {
            members.add(decodeLongs);
        }
        if (withRows) {
            members.add(rows);
        }
        return members;
    }

    /** The Java array type a constant is stored as (see {@link WeightStorage}). */
    static Class<?> arrayType(Tensor tensor) {
        return tensor.dtype() == DType.F32 ? float[].class : WeightStorage.asInts(tensor) ? int[].class : long[].class;
    }

    /**
     * The methods that rebuild {@code tensor} (a float[], or a long[] for integer and packed-sign
     * tensors, each long as two 32-bit words, high first); the first one returns the array.
     */
    static List<MethodSpec> builderMethods(String name, Tensor tensor) {
        boolean floats = tensor.dtype() == DType.F32;
        boolean ints = WeightStorage.asInts(tensor);
        int[] words = new int[floats || ints ? tensor.size() : 2 * tensor.size()];
        for (int i = 0; i < tensor.size(); i++) {
            if (floats) {
                words[i] = Float.floatToRawIntBits(tensor.floatAt(i));
            } else if (ints) {
                words[i] = (int) tensor.longAt(i);
            } else {
                long v = tensor.longAt(i);
                words[2 * i] = (int) (v >>> 32);
                words[2 * i + 1] = (int) v;
            }
        }
        Class<?> array = arrayType(tensor);
        String decoder = floats ? "decode" : ints ? "decodeInts" : "decodeLongs";
        List<String> chunks = new ArrayList<>();
        for (int from = 0; from < words.length; from += WORDS_PER_CHUNK) {
            chunks.add(encode(words, from, Math.min(words.length, from + WORDS_PER_CHUNK)));
        }
        List<MethodSpec> parts = new ArrayList<>();
        for (int first = 0, part = 0; first < chunks.size(); first += CHUNKS_PER_METHOD, part++) {
            MethodSpec.Builder m = MethodSpec.methodBuilder(name + "_part" + part)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(int.class)
                    .addParameter(array, "w")
                    .addParameter(int.class, "p");
            for (String chunk : chunks.subList(first, Math.min(chunks.size(), first + CHUNKS_PER_METHOD))) {
                m.addStatement("p = $L(w, p, $S)", decoder, chunk);
            }
            parts.add(m.addStatement("return p").build());
        }
        MethodSpec.Builder whole = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(array)
                .addStatement("$T w = new $T[$L]", array, array.getComponentType(), tensor.size())
                .addStatement("int p = 0");
        for (MethodSpec part : parts) {
            whole.addStatement("p = $N(w, p)", part);
        }
        List<MethodSpec> all = new ArrayList<>();
        all.add(whole.addStatement("return w").build());
        all.addAll(parts);
        return all;
    }
}
