package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.util.Objects;
import java.util.UUID;

/** What a finished upload or download moved, and how fast. Immutable. */
public final class TransferReceipt {
    private final UUID transferId;
    private final long bytes;
    private final long nanos;

    private TransferReceipt(UUID transferId, long bytes, long nanos) {
        this.transferId = Checks.notNull(transferId, "transferId");
        this.bytes = Checks.inRange(bytes, 0, Long.MAX_VALUE, "bytes");
        this.nanos = Checks.inRange(nanos, 0, Long.MAX_VALUE, "nanos");
    }

    /**
     * @param bytes payload bytes moved
     * @param nanos from connecting to the peer's acknowledgement (upload) or the last byte written (download)
     */
    public static TransferReceipt of(UUID transferId, long bytes, long nanos) {
        return new TransferReceipt(transferId, bytes, nanos);
    }

    /** The transfer. */
    public UUID transferId() {
        return transferId;
    }

    /** Payload bytes moved. */
    public long bytes() {
        return bytes;
    }

    /** Elapsed time, in nanoseconds. */
    public long nanos() {
        return nanos;
    }

    /** {@link #bytes()} per second of {@link #nanos()}; 0 when no time was measured. */
    public double bytesPerSecond() {
        return nanos == 0 ? 0 : bytes * 1e9 / nanos;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof TransferReceipt))
            return false;
        TransferReceipt r = (TransferReceipt)o;
        return bytes == r.bytes && nanos == r.nanos && transferId.equals(r.transferId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transferId, bytes, nanos);
    }

    @Override
    public String toString() {
        return "TransferReceipt [transferId=" + transferId + ", bytes=" + bytes + ", ms=" + nanos / 1_000_000
            + String.format(", MiB/s=%.1f]", bytesPerSecond() / (1 << 20));
    }
}
