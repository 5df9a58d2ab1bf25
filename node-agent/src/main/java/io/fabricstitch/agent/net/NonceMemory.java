package io.fabricstitch.agent.net;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nonces of the authenticated datagrams seen within the replay window, so that a copy is refused. Bounded: an
 * entry is forgotten once its datagram's timestamp is out of the window (the timestamp check refuses a copy from
 * then on), and the oldest entry is evicted when {@code capacity} are held. Shared by the channels of one network.
 */
final class NonceMemory {
    /** Default number of nonces held. */
    static final int DFLT_CAPACITY = 65536;

    private final int capacity;
    private final long windowMillis;

    /** Nonce to the time (epoch ms) after which it can be forgotten, in arrival order. */
    private final LinkedHashMap<Nonce, Long> seen = new LinkedHashMap<>();

    private record Nonce(long high, long low) {
    }

    NonceMemory(int capacity, long windowMillis) {
        this.capacity = capacity;
        this.windowMillis = windowMillis;
    }

    /**
     * Remembers a nonce.
     *
     * @param timestampMillis the datagram's timestamp, already checked to be within the window of {@code nowMillis}
     * @return false when the nonce was seen before (a replay)
     */
    synchronized boolean add(long high, long low, long timestampMillis, long nowMillis) {
        expire(nowMillis);
        if (seen.putIfAbsent(new Nonce(high, low), timestampMillis + windowMillis) != null)
            return false;
        if (seen.size() > capacity) {
            Iterator<?> eldest = seen.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return true;
    }

    /** How many nonces are held. */
    synchronized int size() {
        return seen.size();
    }

    private void expire(long nowMillis) {
        Iterator<Map.Entry<Nonce, Long>> it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() < nowMillis)
            it.remove();
    }
}
