package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** What an agent tells the others about itself in each beacon. Immutable. */
public final class Announcement {
    /** Longest agent name, in UTF-8 bytes. */
    public static final int MAX_AGENT_NAME_BYTES = 256;

    /** Longest site label, in UTF-8 bytes. */
    public static final int MAX_SITE_BYTES = 128;

    /** Longest data-path address, in UTF-8 bytes. */
    public static final int MAX_DATA_PATH_BYTES = 300;

    /** Most fabric summaries one announcement carries. */
    public static final int MAX_FABRICS = 32;

    /** {@code host:port}, the host possibly a bracketed IPv6 address. */
    private static final Pattern HOST_PORT = Pattern.compile("\\S+:\\d{1,5}");

    private final UUID nodeId;
    private final String agentName;
    private final String site;
    private final String dataPathAddress;
    private final List<FabricSummary> fabrics;

    private Announcement(UUID nodeId, String agentName, String site, String dataPathAddress,
        List<FabricSummary> fabrics) {
        this.nodeId = Checks.notNull(nodeId, "nodeId");
        this.agentName = text(agentName, "agentName", MAX_AGENT_NAME_BYTES);
        this.site = text(site, "site", MAX_SITE_BYTES);
        this.dataPathAddress = checkAddress(dataPathAddress);
        this.fabrics = checkFabrics(fabrics);
    }

    private static List<FabricSummary> checkFabrics(List<FabricSummary> fabrics) {
        Checks.notNull(fabrics, "fabrics");
        if (fabrics.size() > MAX_FABRICS)
            throw new IllegalArgumentException("fabrics: " + fabrics.size() + " summaries (expected: at most "
                + MAX_FABRICS + ")");
        List<FabricSummary> sorted = new ArrayList<>(fabrics.size());
        for (FabricSummary s : fabrics)
            sorted.add(Checks.notNull(s, "fabrics element"));
        Collections.sort(sorted);
        return Collections.unmodifiableList(sorted);
    }

    /**
     * @param dataPathAddress {@code host:port} other agents reach this agent's data path on; port 0 while none is bound
     * @throws IllegalArgumentException naming the first value that is null, blank or too long
     */
    public static Announcement of(UUID nodeId, String agentName, String site, String dataPathAddress,
        List<FabricSummary> fabrics) {
        return new Announcement(nodeId, agentName, site, dataPathAddress, fabrics);
    }

    private static String text(String value, String name, int maxBytes) {
        if (value == null || value.isBlank())
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: a non-blank string)");
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes)
            throw new IllegalArgumentException(name + ": " + bytes + " UTF-8 bytes (expected: at most " + maxBytes
                + ")");
        return value;
    }

    private static String checkAddress(String address) {
        String a = text(address, "dataPathAddress", MAX_DATA_PATH_BYTES);
        if (!HOST_PORT.matcher(a).matches() || Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)) > 65535)
            throw new IllegalArgumentException("dataPathAddress: '" + address + "' (expected: host:port with port "
                + "0..65535)");
        return a;
    }

    /** The Ignite node the announcing agent serves. */
    public UUID nodeId() {
        return nodeId;
    }

    /** The announcing agent's name. */
    public String agentName() {
        return agentName;
    }

    /** The announcing agent's site label. */
    public String site() {
        return site;
    }

    /** {@code host:port} of the announcing agent's data path; port 0 while none is bound. */
    public String dataPathAddress() {
        return dataPathAddress;
    }

    /** The announcing agent's fabrics by type and status, sorted by type then status. */
    public List<FabricSummary> fabrics() {
        return fabrics;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof Announcement))
            return false;
        Announcement a = (Announcement)o;
        return nodeId.equals(a.nodeId) && agentName.equals(a.agentName) && site.equals(a.site)
            && dataPathAddress.equals(a.dataPathAddress) && fabrics.equals(a.fabrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, agentName, site, dataPathAddress, fabrics);
    }

    @Override
    public String toString() {
        return "Announcement [agentName=" + agentName + ", nodeId=" + nodeId + ", site=" + site + ", dataPath="
            + dataPathAddress + ", fabrics=" + Peer.fabricsText(fabrics) + ']';
    }
}
