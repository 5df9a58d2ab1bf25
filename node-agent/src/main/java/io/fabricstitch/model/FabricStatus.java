package io.fabricstitch.model;

import java.util.Locale;

/** Whether a fabric can take work. Anything but ONLINE carries a reason in {@link FabricEntry#getStatusReason()}. */
public enum FabricStatus {
    /** Healthy and schedulable. */
    ONLINE,
    /** Working but impaired (hot, erroring, late); schedulable only when nothing ONLINE fits. */
    DEGRADED,
    /** Not schedulable: its node left or failed, or the device is gone. */
    OFFLINE;

    /**
     * Parses a status name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static FabricStatus parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (FabricStatus s : values()) {
                if (s.name().equals(n))
                    return s;
            }
        }
        throw new IllegalArgumentException("status: '" + name + "' (expected one of: ONLINE, DEGRADED, OFFLINE)");
    }
}
