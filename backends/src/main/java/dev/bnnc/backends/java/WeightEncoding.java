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
     * Fields and methods shared by the weight arrays: the digit table, the decoders of the array
     * types used, and the row splitter if used.
     */
    static List<Object> decoderMembers(java.util.Collection<Class<?>> arrays, boolean withRows) {
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
        List<Object> members = new ArrayList<>(List.of(alphabet, digits, table, word));
        for (Class<?> array : arrays) {
            members.add(decoderMethod(array));
        }
        if (withRows) {
            members.add(rows);
        }
        return members;
    }

    /** Appends the elements encoded in {@code s} to {@code dst} at {@code pos}; returns the next position. */
    private static MethodSpec decoderMethod(Class<?> array) {
        Class<?> element = array.getComponentType();
        String value = element == float.class ? "Float.intBitsToFloat(word(s, i))"
                : element == long.class ? "((long) word(s, i) << 32) | (word(s, i + 5) & 0xffffffffL)"
                : element == int.class ? "word(s, i)" : "(" + element.getName() + ") word(s, i)";
        return MethodSpec.methodBuilder(decoder(array))
                .addJavadoc("Appends the $Ls encoded in {@code s} to {@code dst} at {@code pos}.\n", element.getName())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(array, "dst")
                .addParameter(int.class, "pos")
                .addParameter(String.class, "s")
                .beginControlFlow("for (int i = 0; i < s.length(); i += $L)", element == long.class ? 10 : 5)
                .addStatement("dst[pos++] = $L", value)
                .endControlFlow()
                .addStatement("return pos")
                .build();
    }

    /** The Java array type a constant is stored as (see {@link WeightStorage}). */
    static Class<?> arrayType(Tensor tensor) {
        if (tensor.dtype() == DType.F32) {
            return float[].class;
        }
        return switch (WeightStorage.elementBits(tensor)) {
            case 8 -> byte[].class;
            case 16 -> short[].class;
            case 32 -> int[].class;
            default -> long[].class;
        };
    }

    /** The decoding method for an array type. */
    private static String decoder(Class<?> array) {
        return "decode" + Character.toUpperCase(array.getComponentType().getName().charAt(0))
                + array.getComponentType().getName().substring(1) + "s";
    }

    /**
     * The methods that rebuild {@code tensor} as its {@link #arrayType}: one 32-bit word per element
     * (two, high first, for longs); the first method returns the array.
     */
    static List<MethodSpec> builderMethods(String name, Tensor tensor) {
        Class<?> array = arrayType(tensor);
        boolean longs = array == long[].class;
        int[] words = new int[longs ? 2 * tensor.size() : tensor.size()];
        for (int i = 0; i < tensor.size(); i++) {
            if (array == float[].class) {
                words[i] = Float.floatToRawIntBits(tensor.floatAt(i));
            } else if (longs) {
                long v = tensor.longAt(i);
                words[2 * i] = (int) (v >>> 32);
                words[2 * i + 1] = (int) v;
            } else {
                words[i] = (int) tensor.longAt(i);
            }
        }
        String decoder = decoder(array);
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
