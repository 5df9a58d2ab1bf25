package io.fabricstitch.agent.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which devices a node may claim, in the spirit of {@code CUDA_VISIBLE_DEVICES}: glob patterns ({@code *} any run of
 * characters, {@code ?} one character) matched against a device's key ({@code nvidia:GPU-...},
 * {@code declared:demo-gpu-0}) and its claim key ({@code pci:0000:3b:00.0}). No patterns means every device. The CPU
 * fabric is not subject to the list: every node has one. Not API.
 */
public final class DeviceAllowList {
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9:._*?-]{1,256}");

    private final List<String> globs;
    /** The globs without a wildcard, looked up at once: a list of thousands of device names stays cheap. */
    private final java.util.Set<String> literals;
    private final List<Pattern> patterns;

    private DeviceAllowList(List<String> globs) {
        this.globs = List.copyOf(globs);
        java.util.Set<String> exact = new java.util.HashSet<>();
        List<Pattern> ps = new ArrayList<>();
        for (String g : globs) {
            if (g.indexOf('*') < 0 && g.indexOf('?') < 0)
                exact.add(g);
            else
                ps.add(Pattern.compile(g.replace(".", "\\.").replace("*", ".*").replace("?", ".")));
        }
        this.literals = java.util.Set.copyOf(exact);
        this.patterns = List.copyOf(ps);
    }

    /**
     * @param globs patterns, or null/empty for every device
     * @throws IllegalArgumentException naming a pattern with characters other than letters, digits, ':', '.', '_',
     *     '-', '*', '?'
     */
    public static DeviceAllowList of(Collection<String> globs) {
        List<String> list = new ArrayList<>();
        if (globs != null) {
            for (String g : globs) {
                String t = g == null ? "" : g.trim();
                if (t.isEmpty())
                    continue;
                if (!GLOB.matcher(t).matches())
                    throw new IllegalArgumentException("deviceAllowList element: '" + g
                        + "' (expected: a glob of letters, digits, ':', '.', '_', '-', '*', '?', e.g. pci:0000:3b:* or declared:demo-gpu-*)");
                list.add(t);
            }
        }
        return new DeviceAllowList(list);
    }

    /** Whether no patterns are set (every device allowed). */
    public boolean allowsAll() {
        return globs.isEmpty();
    }

    /** Whether a device with these keys may be claimed. */
    public boolean allows(String deviceKey, String claimKey) {
        if (globs.isEmpty() || literals.contains(deviceKey) || literals.contains(claimKey))
            return true;
        for (Pattern p : patterns) {
            if (p.matcher(deviceKey).matches() || p.matcher(claimKey).matches())
                return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return globs.isEmpty() ? "*" : String.join(",", globs);
    }
}
