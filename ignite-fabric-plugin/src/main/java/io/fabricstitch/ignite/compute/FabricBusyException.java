package io.fabricstitch.ignite.compute;

import org.apache.ignite.IgniteException;

/**
 * Fabrics that can run a task exist, but none had the free resources in time: the wait queue was full, or the task
 * waited longer than its queue timeout. The message names the bound that was hit.
 */
public class FabricBusyException extends IgniteException {
    private static final long serialVersionUID = 1L;

    public FabricBusyException(String message) {
        super(message);
    }
}
