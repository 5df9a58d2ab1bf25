package io.fabricstitch.examples;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences Ignite and keeps Fabric Stitch to warnings while {@code bin/fabric submit} runs its client node, so that
 * the command prints its facts, or one line saying what failed, and no log records or stack traces; closing restores
 * the levels (the tests run the launcher in a JVM that goes on).
 */
final class QuietLogs {
    private final Logger ignite = Logger.getLogger("org.apache.ignite");
    private final Logger fabric = Logger.getLogger("io.fabricstitch");
    private final Level igniteLevel = ignite.getLevel();
    private final Level fabricLevel = fabric.getLevel();

    private QuietLogs() {
        ignite.setLevel(Level.OFF);
        fabric.setLevel(Level.WARNING);
    }

    /** Raises the levels until {@link #close()}. */
    static QuietLogs start() {
        return new QuietLogs();
    }

    /** Restores the levels. */
    void close() {
        ignite.setLevel(igniteLevel);
        fabric.setLevel(fabricLevel);
    }
}
