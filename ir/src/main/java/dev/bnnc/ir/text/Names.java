package dev.bnnc.ir.text;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How names are spelled in the text form: bare when made of letters, digits, '_' and '.', else
 * quoted with {@code \" \\ \n \r \t} escapes. Values carry the sigil {@code %}, nodes {@code @};
 * the graph name has none, so it must also not look like a keyword or a number.
 */
final class Names {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KEYWORDS = Set.of("graph", "dense", "true", "false", "NaN", "Infinity");

    private Names() {}

    static String value(String name) {
        return "%" + (BARE.matcher(name).matches() ? name : quote(name));
    }

    static String node(String name) {
        return "@" + (BARE.matcher(name).matches() ? name : quote(name));
    }

    static String graph(String name) {
        return IDENT.matcher(name).matches() && !KEYWORDS.contains(name) ? name : quote(name);
    }

    /** The name in a VALUE, NODE or STRING token: without sigil and quotes, escapes resolved. */
    static String fromToken(String text) {
        String s = text.charAt(0) == '%' || text.charAt(0) == '@' ? text.substring(1) : text;
        return s.charAt(0) == '"' ? unquote(s) : s;
    }

    private static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Resolves the escapes of a quoted name; the lexer admits only the five above. */
    private static String unquote(String quoted) {
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                char e = quoted.charAt(++i);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
