package io.fabricstitch.agent.net;

import java.util.HashMap;
import java.util.PriorityQueue;

/**
 * The nonces of the authenticated datagrams seen within the replay window, so that a copy is refused. Bounded: an
 * entry is forgotten once its datagram's timestamp is out of the window (the timestamp check refuses a copy from
 * then on), in the order the entries expire, whatever order they came in (senders' clocks differ). When
 * {@code capacity} entries are held, the one that expires first is evicted and its timestamp becomes a floor: a
 * datagram stamped at or before the floor is refused too, so an evicted nonce can never be replayed. Shared by the
 * channels of one network.
 */
final class NonceMemory {
    /** Default number of nonces held. */
    static final int DFLT_CAPACITY = 65536;

    private final int capacity;
    private final long windowMillis;

    /** Nonce to the time (epoch ms) after which it can be forgotten. */
    private final HashMap<Nonce, Long> seen = new HashMap<>();

    /** The same entries, soonest expiry first. */
    private final PriorityQueue<Expiry> byExpiry = new PriorityQueue<>();

    /** Datagrams stamped at or before this (epoch ms) are refused: an evicted nonce may be among them. */
    private long floorMillis = Long.MIN_VALUE;

    private record Nonce(long high, long low) {
    }

    private record Expiry(long atMillis, Nonce nonce) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry o) {
            return Long.compare(atMillis, o.atMillis);
        }
    }

    NonceMemory(int capacity, long windowMillis) {
        this.capacity = capacity;
        this.windowMillis = windowMillis;
    }

    /**
     * Remembers a nonce.
     *
     * @param timestampMillis the datagram's timestamp, already checked to be within the window of {@code nowMillis}
     * @return false when the nonce was seen before, or the datagram is stamped at or before the eviction floor (a
     *     possible replay)
     */
    synchronized boolean add(long high, long low, long timestampMillis, long nowMillis) {
        expire(nowMillis);
        if (timestampMillis <= floorMillis)
            return false;
        Nonce n = new Nonce(high, low);
        long expiry = timestampMillis + windowMillis;
        if (seen.putIfAbsent(n, expiry) != null)
            return false;
        byExpiry.add(new Expiry(expiry, n));
        if (seen.size() > capacity) {
            Expiry first = byExpiry.poll();
            seen.remove(first.nonce());
            floorMillis = Math.max(floorMillis, first.atMillis() - windowMillis);
        }
        return true;
    }

    /** How many nonces are held. */
    synchronized int size() {
        return seen.size();
    }

    private void expire(long nowMillis) {
        while (!byExpiry.isEmpty() && byExpiry.peek().atMillis() < nowMillis)
            seen.remove(byExpiry.poll().nonce());
    }
}
