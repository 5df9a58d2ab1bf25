package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** Another agent as last heard: what it announced and where it answers. An immutable snapshot. */
public final class Peer {
    private final Announcement announcement;
    private final InetSocketAddress unicastAddress;
    private final boolean viaMulticast;
    private final Instant firstHeard;
    private final Instant lastHeard;

    Peer(Announcement announcement, InetSocketAddress unicastAddress, boolean viaMulticast, Instant firstHeard,
        Instant lastHeard) {
        this.announcement = announcement;
        this.unicastAddress = unicastAddress;
        this.viaMulticast = viaMulticast;
        this.firstHeard = firstHeard;
        this.lastHeard = lastHeard;
    }

    /** The same peer, last heard at {@code at}. */
    Peer heardAt(Instant at) {
        return new Peer(announcement, unicastAddress, viaMulticast, firstHeard, at);
    }

    /** What the peer last announced. */
    Announcement announcement() {
        return announcement;
    }

    /** The Ignite node the peer's agent serves. */
    public UUID nodeId() {
        return announcement.nodeId();
    }

    /** The peer agent's name. */
    public String agentName() {
        return announcement.agentName();
    }

    /** The peer's site label. */
    public String site() {
        return announcement.site();
    }

    /** Where the peer answers pings: the source IP of its last announcement with the unicast port it advertised. */
    public InetSocketAddress unicastAddress() {
        return unicastAddress;
    }

    /** {@code host:port} of the peer's data path. */
    public String dataPathAddress() {
        return announcement.dataPathAddress();
    }

    /** The peer's fabrics by type and status, sorted. */
    public List<FabricSummary> fabrics() {
        return announcement.fabrics();
    }

    /** The fabrics as text, e.g. {@code GPU x2 ONLINE, CPU x1 ONLINE}; {@code none} when there are none. */
    public String fabricsText() {
        return fabricsText(announcement.fabrics());
    }

    static String fabricsText(List<FabricSummary> fabrics) {
        return fabrics.isEmpty() ? "none"
            : fabrics.stream().map(FabricSummary::toString).collect(Collectors.joining(", "));
    }

    /** Whether the peer's last announcement arrived by multicast (else by unicast: a seed or a reply). */
    public boolean viaMulticast() {
        return viaMulticast;
    }

    /** When this agent first heard the peer (again, after it was lost). */
    public Instant firstHeard() {
        return firstHeard;
    }

    /** When this agent last heard the peer: an announcement or a pong. */
    public Instant lastHeard() {
        return lastHeard;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof Peer))
            return false;
        Peer p = (Peer)o;
        return viaMulticast == p.viaMulticast && announcement.equals(p.announcement)
            && unicastAddress.equals(p.unicastAddress) && firstHeard.equals(p.firstHeard)
            && lastHeard.equals(p.lastHeard);
    }

    @Override
    public int hashCode() {
        return Objects.hash(announcement, unicastAddress, lastHeard);
    }

    @Override
    public String toString() {
        return "Peer [agentName=" + agentName() + ", nodeId=" + nodeId() + ", site=" + site() + ", unicast="
            + unicastAddress.getHostString() + ':' + unicastAddress.getPort() + ", dataPath=" + dataPathAddress()
            + ", fabrics=" + fabricsText() + ", via=" + (viaMulticast ? "multicast" : "unicast") + ", firstHeard="
            + firstHeard + ", lastHeard=" + lastHeard + ']';
    }
}
