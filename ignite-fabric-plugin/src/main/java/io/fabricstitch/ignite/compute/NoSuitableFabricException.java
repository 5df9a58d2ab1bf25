package io.fabricstitch.ignite.compute;

import org.apache.ignite.IgniteException;

/**
 * No fabric in the Fabric Map can take a task: none of an accepted type runs its function, is usable (ONLINE, or
 * DEGRADED where allowed) and has enough resources in total. The message says what was asked and what the map holds,
 * e.g. {@code no fabric for image.gaussian-blur needing 100 FPGA slices: 2 FPGA fabrics known, most free 64; 1 OFFLINE}.
 */
public class NoSuitableFabricException extends IgniteException {
    private static final long serialVersionUID = 1L;

    public NoSuitableFabricException(String message) {
        super(message);
    }
}
