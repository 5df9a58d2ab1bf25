package io.fabricstitch.ignite.internal;

/**
 * Told of every change of one Fabric Map table this node sees, on the continuous query's thread: keep it short.
 * Not API.
 *
 * @param <K> the cache key
 * @param <V> the row
 */
@FunctionalInterface
public interface RowListener<K, V> {
    /**
     * A row of {@code key} was written ({@code row} not null) or removed ({@code row} null); {@code expired} tells a
     * row that expired from one that someone removed.
     */
    void onRow(K key, V row, boolean expired);
}
