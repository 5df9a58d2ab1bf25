package io.fabricstitch.examples.api;

import java.util.List;
import java.util.Map;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * One runnable example of {@code bin/fabric example <name>}: the command starts the nodes (the embedded demo cluster,
 * or a client that joins the cluster at {@code --url}), hands the example one of them, and stops them afterwards.
 */
public interface Example {
    /** The name on the command line, e.g. {@code spi}. */
    String name();

    /** One line for the usage text. */
    String summary();

    /** Options of its own (names without {@code --}), each taking a value; none by default. */
    default List<String> options() {
        return List.of();
    }

    /** Its options with their values and defaults for the usage text, e.g. {@code --output FILE (default ...)}. */
    default String optionsHelp() {
        return "";
    }

    /**
     * Checks the example's own options before any node starts.
     *
     * @throws IllegalArgumentException naming the option, the value and what is accepted
     */
    default void check(Map<String, String> options) {
    }

    /** Adjusts the configuration of every node the command starts for it (e.g. an SPI); nothing by default. */
    default void configure(IgniteConfiguration cfg) {
    }

    /**
     * Runs on a started cluster and prints what happened.
     *
     * @return whether it showed what it is meant to (the command exits 0), or not (exit 1)
     */
    boolean run(ExampleContext ctx) throws Exception;
}
