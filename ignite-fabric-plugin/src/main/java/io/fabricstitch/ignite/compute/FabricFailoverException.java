package io.fabricstitch.ignite.compute;

import java.util.UUID;
import org.apache.ignite.compute.ComputeJobFailoverException;

/**
 * A job's fabric went OFFLINE (device gone, probe failing, injected fault) before the job finished. Ignite fails the
 * job over (it is a {@link ComputeJobFailoverException}); Fabric Stitch then places it on the next-best fabric, never
 * this one again.
 */
public class FabricFailoverException extends ComputeJobFailoverException {
    private static final long serialVersionUID = 1L;

    private final UUID fabricId;

    public FabricFailoverException(UUID fabricId, String msg) {
        super(msg);
        this.fabricId = fabricId;
    }

    /** The fabric that went OFFLINE. */
    public UUID fabricId() {
        return fabricId;
    }
}
