package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.datapath.TransferToken;
import java.io.Serializable;
import java.util.UUID;

/**
 * What a job returns instead of its output when the output was too large to ride back in the job: the token of the
 * transfer the fabric's agent staged it under, for the caller to download over the same data path. Immutable.
 */
final class StagedOutputRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TransferToken token;
    private final long length;

    StagedOutputRef(TransferToken token, long length) {
        this.token = token;
        this.length = length;
    }

    /** The download's token, which names the transfer. */
    TransferToken token() {
        return token;
    }

    UUID transferId() {
        return token.transferId();
    }

    long length() {
        return length;
    }

    @Override
    public String toString() {
        return "StagedOutputRef [transferId=" + transferId() + ", length=" + length + ']';
    }
}
