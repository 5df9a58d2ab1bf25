package io.fabricstitch.ignite.compute;

import java.util.List;

/**
 * Combines the outputs of a partitioned task's parts, given in the order of the parts (the order of the
 * {@link Splitter}'s inputs), into its result. See {@link FabricCompute#map}.
 *
 * @param <R> the result
 */
@FunctionalInterface
public interface Reducer<R> {
    R reduce(List<byte[]> outputs);
}
