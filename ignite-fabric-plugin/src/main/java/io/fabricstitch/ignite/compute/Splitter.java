package io.fabricstitch.ignite.compute;

import java.util.List;

/**
 * Cuts a dataset into the inputs of a partitioned task's parts, one per share, in order, each about its share of the
 * whole (shares are positive and sum to 1). See {@link FabricCompute#map}.
 *
 * @param <D> the dataset
 */
@FunctionalInterface
public interface Splitter<D> {
    /**
     * @param shares the parts' shares of the work, in the order their outputs will be reduced
     * @return one input per share, in the same order
     */
    List<byte[]> split(D dataset, List<Double> shares);
}
