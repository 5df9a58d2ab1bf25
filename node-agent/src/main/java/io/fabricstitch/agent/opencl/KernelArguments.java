package io.fabricstitch.agent.opencl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declared argument layout of a user OpenCL kernel, one declaration per kernel argument, in order, separated by
 * commas:
 * <ul>
 *     <li>{@code in <type>[] <name>}: an input array. Every input array holds the same number of elements,
 *     {@code n}; the call's input is the input arrays one after another, little-endian.</li>
 *     <li>{@code out <type>[] <name>}: the output array (exactly one), {@code n} elements; the call's output.</li>
 *     <li>{@code <int|uint|long|ulong> n}: the element count.</li>
 *     <li>{@code <type> <name> = <value>}: a constant.</li>
 * </ul>
 * Types: {@code char, uchar, short, ushort, int, uint, long, ulong, float, double}. The kernel runs one work item per
 * element ({@code get_global_id(0) < n}). Example: {@code in float[] a, in float[] b, out float[] c, int n}.
 */
final class KernelArguments {
    /** Element sizes of the accepted types, bytes. */
    static final Map<String, Integer> SIZES = Map.of("char", 1, "uchar", 1, "short", 2, "ushort", 2, "int", 4,
        "uint", 4, "long", 8, "ulong", 8, "float", 4, "double", 8);

    static final String FORMAT = "comma-separated 'in TYPE[] NAME', one 'out TYPE[] NAME', optionally 'int n' (or uint, "
        + "long, ulong) and 'TYPE NAME = VALUE'; TYPE one of char, uchar, short, ushort, int, uint, long, ulong, "
        + "float, double";

    private static final Pattern ARRAY = Pattern.compile("(in|out)\\s+([a-z]+)\\s*\\[\\s*]\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern COUNT = Pattern.compile("(int|uint|long|ulong)\\s+n");
    private static final Pattern CONSTANT =
        Pattern.compile("([a-z]+)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(\\S+)");

    /** The role of one kernel argument. */
    enum Kind { IN, OUT, COUNT, CONSTANT }

    /** One declared kernel argument. */
    static final class Arg {
        final Kind kind;
        final String type;
        final String name;
        final byte[] constant;

        Arg(Kind kind, String type, String name, byte[] constant) {
            this.kind = kind;
            this.type = type;
            this.name = name;
            this.constant = constant;
        }

        int size() {
            return SIZES.get(type);
        }

        @Override
        public String toString() {
            switch (kind) {
                case IN: return "in " + type + "[] " + name;
                case OUT: return "out " + type + "[] " + name;
                case COUNT: return type + " n";
                default: return type + ' ' + name + " = ...";
            }
        }
    }

    private final List<Arg> args;
    private final int inBytesPerElement;
    private final Arg out;

    private KernelArguments(List<Arg> args) {
        this.args = List.copyOf(args);
        int per = 0;
        Arg o = null;
        for (Arg a : args) {
            if (a.kind == Kind.IN)
                per += a.size();
            if (a.kind == Kind.OUT)
                o = a;
        }
        this.inBytesPerElement = per;
        this.out = o;
    }

    /**
     * Parses a layout.
     *
     * @throws IllegalArgumentException naming the declaration that is wrong and the accepted form
     */
    static KernelArguments parse(String layout) {
        if (layout == null || layout.isBlank())
            throw new IllegalArgumentException("arguments: '" + layout + "' (expected: " + FORMAT + ")");
        List<Arg> args = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int ins = 0;
        int outs = 0;
        int counts = 0;
        for (String raw : layout.split(",", -1)) {
            String decl = raw.strip();
            Arg a = declaration(decl);
            if (a.kind == Kind.IN)
                ins++;
            else if (a.kind == Kind.OUT)
                outs++;
            else if (a.kind == Kind.COUNT)
                counts++;
            if (!names.add(a.name))
                throw new IllegalArgumentException("arguments: '" + decl + "': name " + a.name + " given twice "
                    + "(expected: one name per argument)");
            args.add(a);
        }
        if (ins < 1 || outs != 1 || counts > 1)
            throw new IllegalArgumentException("arguments: '" + layout + "' has " + ins + " input array(s), " + outs
                + " output array(s) and " + counts + " element count(s) (expected: at least one 'in', exactly one "
                + "'out', at most one 'n')");
        return new KernelArguments(args);
    }

    private static Arg declaration(String decl) {
        Matcher m = ARRAY.matcher(decl);
        if (m.matches()) {
            String type = type(m.group(2), decl);
            return new Arg(m.group(1).equals("in") ? Kind.IN : Kind.OUT, type, m.group(3), null);
        }
        m = COUNT.matcher(decl);
        if (m.matches())
            return new Arg(Kind.COUNT, m.group(1), "n", null);
        m = CONSTANT.matcher(decl);
        if (m.matches()) {
            String type = type(m.group(1), decl);
            return new Arg(Kind.CONSTANT, type, m.group(2), constant(type, m.group(3), decl));
        }
        throw new IllegalArgumentException("arguments: '" + decl + "' (expected: " + FORMAT + ")");
    }

    private static String type(String type, String decl) {
        if (!SIZES.containsKey(type))
            throw new IllegalArgumentException("arguments: '" + decl + "': type " + type + " (expected one of: "
                + String.join(", ", new java.util.TreeSet<>(SIZES.keySet())) + ")");
        return type;
    }

    /** The constant's bytes, little-endian. */
    static byte[] constant(String type, String text, String decl) {
        ByteBuffer b = ByteBuffer.allocate(SIZES.get(type)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            switch (type) {
                case "float": b.putFloat(Float.parseFloat(text)); break;
                case "double": b.putDouble(Double.parseDouble(text)); break;
                case "char": b.put(Byte.parseByte(text)); break;
                case "uchar": b.put((byte)ranged(text, 0xFFL)); break;
                case "short": b.putShort(Short.parseShort(text)); break;
                case "ushort": b.putShort((short)ranged(text, 0xFFFFL)); break;
                case "int": b.putInt(Integer.parseInt(text)); break;
                case "uint": b.putInt((int)ranged(text, 0xFFFF_FFFFL)); break;
                case "long": b.putLong(Long.parseLong(text)); break;
                default: b.putLong(Long.parseUnsignedLong(text)); break;
            }
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("arguments: '" + decl + "': value '" + text + "' (expected: a "
                + type.toLowerCase(Locale.ROOT) + " literal)");
        }
        return b.array();
    }

    private static long ranged(String text, long max) {
        long v = Long.parseLong(text);
        if (v < 0 || v > max)
            throw new NumberFormatException(text);
        return v;
    }

    List<Arg> args() {
        return args;
    }

    /** Bytes of input per element: the sizes of the input arrays' types added. */
    int inBytesPerElement() {
        return inBytesPerElement;
    }

    /** Bytes of the element count argument: 4 or 8; 0 when the layout has none. */
    int countSize() {
        for (Arg a : args) {
            if (a.kind == Kind.COUNT)
                return a.size();
        }
        return 0;
    }

    /** The output array's declaration. */
    Arg out() {
        return out;
    }

    /** A description of the input, for messages: {@code a float, b float}. */
    String inputs() {
        StringBuilder sb = new StringBuilder();
        for (Arg a : args) {
            if (a.kind == Kind.IN)
                sb.append(sb.length() == 0 ? "" : ", ").append(a.name).append(' ').append(a.type);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Arg a : args)
            sb.append(sb.length() == 0 ? "" : ", ").append(a);
        return sb.toString();
    }
}
