package io.fabricstitch.examples;

import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * What a task needs, as written on the command line: {@code TYPE:AMOUNT}, where TYPE is one fabric type, several
 * joined by {@code |}, or {@code ANY}, and AMOUNT a positive whole number of the chosen fabric's own resource unit
 * (MiB, slices, lanes, cores). Examples: {@code GPU:2048}, {@code GPU|FPGA:100}, {@code ANY:1}. Immutable.
 */
final class Requirement {
    /** What {@link #parse} accepts, for messages. */
    static final String FORMAT = "TYPE:AMOUNT, e.g. GPU:2048, GPU|FPGA:100 or ANY:1";

    private static final String ANY = "ANY";

    private final Set<FabricType> types;
    private final long amount;

    private Requirement(Set<FabricType> types, long amount) {
        this.types = types;
        this.amount = amount;
    }

    /**
     * Parses {@code TYPE:AMOUNT}.
     *
     * @throws IllegalArgumentException naming {@code option}, the value, and what is accepted
     */
    static Requirement parse(String text, String option) {
        int colon = text.lastIndexOf(':');
        if (colon < 0)
            throw new IllegalArgumentException(option + ": '" + text + "' (expected: " + FORMAT + ")");
        EnumSet<FabricType> types = EnumSet.noneOf(FabricType.class);
        String typeText = text.substring(0, colon).trim();
        for (String t : typeText.split("\\|", -1)) {
            if (t.trim().equalsIgnoreCase(ANY)) {
                types.addAll(EnumSet.allOf(FabricType.class));
                continue;
            }
            try {
                types.add(FabricType.parse(t));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": type '" + t.trim() + "' in '" + text + "' (expected: "
                    + acceptedTypes() + ", several joined by '|')");
            }
        }
        String amountText = text.substring(colon + 1).trim();
        long amount;
        try {
            amount = Long.parseLong(amountText);
        }
        catch (NumberFormatException e) {
            amount = 0;
        }
        if (amount < 1)
            throw new IllegalArgumentException(option + ": amount '" + amountText + "' in '" + text + "' (expected: a "
                + "whole number >= 1 of the fabric's resource unit, e.g. MiB, slices, lanes or cores)");
        return new Requirement(Collections.unmodifiableSet(types), amount);
    }

    private static String acceptedTypes() {
        return Arrays.stream(FabricType.values()).map(Enum::name).collect(Collectors.joining(", ")) + " or " + ANY;
    }

    /** The accepted fabric types; every type for {@code ANY}. */
    Set<FabricType> types() {
        return types;
    }

    /** Units of the chosen fabric's resource to reserve. */
    long amount() {
        return amount;
    }

    /** Sets the types and the amount on {@code builder}. */
    TaskRequest.Builder applyTo(TaskRequest.Builder builder) {
        return builder.fabricTypes(types).amount(amount);
    }

    @Override
    public String toString() {
        if (types.size() == FabricType.values().length)
            return ANY + ':' + amount;
        StringJoiner j = new StringJoiner("|", "", ":" + amount);
        types.forEach(t -> j.add(t.name()));
        return j.toString();
    }
}
