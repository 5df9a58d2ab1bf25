package io.fabricstitch.model;

import java.util.Locale;

/** Where a fabric's speed for a function comes from: the map's {@code FABRIC_FUNCTION.SPEED_SOURCE}. */
public enum SpeedSource {
    /** Configured on a declared (simulated) fabric. */
    DECLARED,
    /** The Java implementation on the host CPU: the yardstick every measured speed is relative to (1 by definition). */
    REFERENCE,
    /** Measured by the agent: the reference's time on a calibration input over this fabric's time on the same input. */
    MEASURED,
    /** Not measured: no reference implementation or calibration input, or calibration not done (yet); 1 is assumed. */
    UNMEASURED;

    /**
     * Parses a source name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static SpeedSource parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (SpeedSource s : values()) {
                if (s.name().equals(n))
                    return s;
            }
        }
        throw new IllegalArgumentException("speedSource: '" + name
            + "' (expected one of: DECLARED, REFERENCE, MEASURED, UNMEASURED)");
    }
}
