package io.fabricstitch.function;

import java.util.UUID;

/**
 * The fabric a call was meant for, or was running on, is OFFLINE: its device is gone, its probe fails, or a fault was
 * injected. The work did not complete there and may be run on another fabric.
 */
public class FabricUnavailableException extends FunctionException {
    private static final long serialVersionUID = 1L;

    private final UUID fabricId;

    public FabricUnavailableException(UUID fabricId, String msg) {
        super(msg);
        this.fabricId = fabricId;
    }

    /** The fabric that became unavailable. */
    public UUID fabricId() {
        return fabricId;
    }
}
