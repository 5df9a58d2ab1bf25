package io.fabricstitch.ignite;

import java.util.function.Supplier;

/** Names a failed check by its property path in {@link FabricPluginConfiguration} ({@code network.beaconPort}). */
final class ConfigPaths {
    private ConfigPaths() {
    }

    /**
     * Runs {@code check}; when it refuses a value, rethrows its message with {@code path} in front (unless the message
     * already starts with it), so every message names the property as a Spring XML file or a setter chain spells it.
     *
     * @throws IllegalArgumentException the check's, with the path
     */
    static <T> T at(String path, Supplier<T> check) {
        try {
            return check.get();
        }
        catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.startsWith(path))
                throw e;
            throw new IllegalArgumentException(path + msg, e);
        }
    }

    /** {@link #at(String, Supplier)} of a check that returns nothing. */
    static void at(String path, Runnable check) {
        at(path, () -> {
            check.run();
            return null;
        });
    }
}
