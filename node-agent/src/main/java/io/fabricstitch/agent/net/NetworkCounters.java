package io.fabricstitch.agent.net;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link NetworkStats}; written on the event loop, read from anywhere. */
final class NetworkCounters {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unauthenticated = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong ignoredOwn = new AtomicLong();
    private final AtomicLong beaconsSent = new AtomicLong();
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong pongsReceived = new AtomicLong();

    void received() {
        received.incrementAndGet();
    }

    void accepted() {
        accepted.incrementAndGet();
    }

    void dropped(DropReason reason) {
        switch (reason) {
            case OVERSIZED:
                oversized.incrementAndGet();
                break;
            case MALFORMED:
                malformed.incrementAndGet();
                break;
            case UNAUTHENTICATED:
                unauthenticated.incrementAndGet();
                break;
            default:
                replayed.incrementAndGet();
        }
    }

    void ignoredOwn() {
        ignoredOwn.incrementAndGet();
    }

    void beaconSent() {
        beaconsSent.incrementAndGet();
    }

    void pingSent() {
        pingsSent.incrementAndGet();
    }

    void pongReceived() {
        pongsReceived.incrementAndGet();
    }

    NetworkStats snapshot() {
        return new NetworkStats(received.get(), accepted.get(), oversized.get(), malformed.get(),
            unauthenticated.get(), replayed.get(), ignoredOwn.get(), beaconsSent.get(), pingsSent.get(),
            pongsReceived.get());
    }
}
