package io.fabricstitch.examples.api;

import java.util.List;
import java.util.stream.Collectors;

/** The examples {@code bin/fabric example <name>} runs, by name. */
public final class Examples {
    /** Every example, in the order the usage lists them. */
    public static final List<Example> ALL = List.of(new ComputeSpiExample(), new PrioritiesExample(),
        new SqlJdbcExample(), new PartitionedBlurExample(), new FailoverExample());

    private Examples() {
    }

    /** The names, e.g. {@code spi, priorities, sql, blur, failover}. */
    public static String names() {
        return ALL.stream().map(Example::name).collect(Collectors.joining(", "));
    }

    /**
     * The example called {@code name}.
     *
     * @throws IllegalArgumentException naming it and the accepted names
     */
    public static Example named(String name) {
        for (Example e : ALL) {
            if (e.name().equals(name))
                return e;
        }
        throw new IllegalArgumentException("example: '" + name + "' is not one (expected: one of " + names() + ")");
    }
}
