package io.fabricstitch.agent.net;

import java.util.Objects;

/**
 * The counters of one {@link AgentNetwork}, each monotonic from its start. Every datagram received is either
 * {@linkplain #accepted() accepted}, {@linkplain #dropped() dropped} or {@linkplain #ignoredOwn() our own}. An
 * immutable snapshot.
 */
public final class NetworkStats {
    private final long datagramsReceived;
    private final long accepted;
    private final long droppedOversized;
    private final long droppedMalformed;
    private final long droppedUnauthenticated;
    private final long droppedReplayed;
    private final long ignoredOwn;
    private final long beaconsSent;
    private final long pingsSent;
    private final long pongsReceived;

    NetworkStats(long datagramsReceived, long accepted, long droppedOversized, long droppedMalformed,
        long droppedUnauthenticated, long droppedReplayed, long ignoredOwn, long beaconsSent, long pingsSent,
        long pongsReceived) {
        this.datagramsReceived = datagramsReceived;
        this.accepted = accepted;
        this.droppedOversized = droppedOversized;
        this.droppedMalformed = droppedMalformed;
        this.droppedUnauthenticated = droppedUnauthenticated;
        this.droppedReplayed = droppedReplayed;
        this.ignoredOwn = ignoredOwn;
        this.beaconsSent = beaconsSent;
        this.pingsSent = pingsSent;
        this.pongsReceived = pongsReceived;
    }

    /** Datagrams read from either socket. */
    public long datagramsReceived() {
        return datagramsReceived;
    }

    /** Datagrams from other agents that passed every check. */
    public long accepted() {
        return accepted;
    }

    /** Datagrams longer than {@link NetworkConfiguration#maxPacketBytes()}. */
    public long droppedOversized() {
        return droppedOversized;
    }

    /** Datagrams that are not a well-formed beacon (frame or body). */
    public long droppedMalformed() {
        return droppedMalformed;
    }

    /** Datagrams whose HMAC does not match this cluster's secret. */
    public long droppedUnauthenticated() {
        return droppedUnauthenticated;
    }

    /** Authenticated datagrams refused as replays: timestamp outside the window, or nonce seen before. */
    public long droppedReplayed() {
        return droppedReplayed;
    }

    /** Our own announcements, looped back by multicast or sent to ourselves through a seed; not a drop. */
    public long ignoredOwn() {
        return ignoredOwn;
    }

    /** Announcement datagrams sent (one per destination). */
    public long beaconsSent() {
        return beaconsSent;
    }

    /** Pings sent. */
    public long pingsSent() {
        return pingsSent;
    }

    /** Pongs that answered an outstanding ping and gave a round-trip sample. */
    public long pongsReceived() {
        return pongsReceived;
    }

    /** All drops: oversized, malformed, unauthenticated and replayed. */
    public long dropped() {
        return droppedOversized + droppedMalformed + droppedUnauthenticated + droppedReplayed;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof NetworkStats))
            return false;
        NetworkStats s = (NetworkStats)o;
        return datagramsReceived == s.datagramsReceived && accepted == s.accepted
            && droppedOversized == s.droppedOversized && droppedMalformed == s.droppedMalformed
            && droppedUnauthenticated == s.droppedUnauthenticated && droppedReplayed == s.droppedReplayed
            && ignoredOwn == s.ignoredOwn && beaconsSent == s.beaconsSent && pingsSent == s.pingsSent
            && pongsReceived == s.pongsReceived;
    }

    @Override
    public int hashCode() {
        return Objects.hash(datagramsReceived, accepted, droppedOversized, droppedMalformed, droppedUnauthenticated,
            droppedReplayed, ignoredOwn, beaconsSent, pingsSent, pongsReceived);
    }

    @Override
    public String toString() {
        return "NetworkStats [datagramsReceived=" + datagramsReceived + ", accepted=" + accepted + ", dropped="
            + dropped() + " (oversized=" + droppedOversized + ", malformed=" + droppedMalformed + ", unauthenticated="
            + droppedUnauthenticated + ", replayed=" + droppedReplayed + "), ignoredOwn=" + ignoredOwn
            + ", beaconsSent=" + beaconsSent + ", pingsSent=" + pingsSent + ", pongsReceived=" + pongsReceived + ']';
    }
}
