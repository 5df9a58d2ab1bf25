package io.fabricstitch.agent.probe;

import io.fabricstitch.agent.probe.DetectedFabric;
import java.util.List;

/** What one probe run found, and what it had to skip. */
public final class ProbeResult {
    private static final ProbeResult EMPTY = new ProbeResult(List.of(), List.of());

    private final List<DetectedFabric> fabrics;
    private final List<String> warnings;

    private ProbeResult(List<DetectedFabric> fabrics, List<String> warnings) {
        this.fabrics = List.copyOf(fabrics);
        this.warnings = List.copyOf(warnings);
    }

    /** Devices found, plus one warning per skipped (malformed) input. */
    public static ProbeResult of(List<DetectedFabric> fabrics, List<String> warnings) {
        return new ProbeResult(fabrics, warnings);
    }

    /** Devices found, nothing skipped. */
    public static ProbeResult of(List<DetectedFabric> fabrics) {
        return new ProbeResult(fabrics, List.of());
    }

    /** Nothing found, nothing skipped. */
    public static ProbeResult empty() {
        return EMPTY;
    }

    /** The devices found. */
    public List<DetectedFabric> fabrics() {
        return fabrics;
    }

    /** One line per input that was skipped, saying what and why. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "ProbeResult [fabrics=" + fabrics + ", warnings=" + warnings + ']';
    }
}
