package io.fabricstitch.ignite.compute;

import java.io.Serializable;
import java.util.UUID;

/**
 * What a job returns instead of its output when the output was too large to ride back in the job: the transfer the
 * fabric's agent staged it under, for the caller to download over the same data path. Immutable.
 */
final class StagedOutputRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final UUID transferId;
    private final long length;

    StagedOutputRef(UUID transferId, long length) {
        this.transferId = transferId;
        this.length = length;
    }

    UUID transferId() {
        return transferId;
    }

    long length() {
        return length;
    }

    @Override
    public String toString() {
        return "StagedOutputRef [transferId=" + transferId + ", length=" + length + ']';
    }
}
