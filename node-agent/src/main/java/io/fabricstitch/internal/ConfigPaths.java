package io.fabricstitch.internal;

import java.util.function.Supplier;

/**
 * Names a failed check by its property path in the plugin's configuration tree ({@code network.beaconPort}), where the
 * configuration beans' {@code validate()} methods call a check that does not know the path.
 */
public final class ConfigPaths {
    private ConfigPaths() {
    }

    /**
     * Runs {@code check}; when it refuses a value, rethrows its message with {@code path} in front (unless the message
     * already starts with it), so every message names the property as a Spring XML file or a setter chain spells it.
     *
     * @throws IllegalArgumentException the check's, with the path
     */
    public static <T> T at(String path, Supplier<T> check) {
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
    public static void at(String path, Runnable check) {
        at(path, () -> {
            check.run();
            return null;
        });
    }
}
