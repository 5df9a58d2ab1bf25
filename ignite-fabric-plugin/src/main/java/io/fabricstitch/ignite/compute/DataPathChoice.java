package io.fabricstitch.ignite.compute;

import java.io.Serializable;
import java.util.Objects;

/** The data path chosen for one placement, why, and the fabric agent's endpoint it goes to. Immutable. */
public final class DataPathChoice implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DataPath path;
    private final String reason;
    private final String endpoint;

    private DataPathChoice(DataPath path, String reason, String endpoint) {
        this.path = Objects.requireNonNull(path, "path");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.endpoint = endpoint;
    }

    /** A choice of {@code path} because of {@code reason}, to the agent at {@code endpoint} ({@code host:port}). */
    public static DataPathChoice of(DataPath path, String reason, String endpoint) {
        return new DataPathChoice(path, reason, endpoint);
    }

    /** The reason of every RDMA choice, followed by the transport's name. */
    private static final String RDMA_REASON = "both nodes have RDMA devices and transport ";

    /** RDMA through {@code transport}, to where it listens on the fabric's node. */
    public static DataPathChoice rdma(String transport, String endpoint) {
        return new DataPathChoice(DataPath.RDMA, RDMA_REASON + transport, endpoint);
    }

    /** Inside the job, because of {@code reason}. */
    public static DataPathChoice job(String reason) {
        return new DataPathChoice(DataPath.JOB, reason, null);
    }

    public DataPath path() {
        return path;
    }

    /** Why this path, and why not the better ones, e.g. {@code same site 'default'; no RDMA: ...}. */
    public String reason() {
        return reason;
    }

    /** The RDMA transport's name for an {@link DataPath#RDMA} choice; null for the other paths. */
    public String rdmaTransport() {
        return path == DataPath.RDMA && reason.startsWith(RDMA_REASON) ? reason.substring(RDMA_REASON.length())
            : null;
    }

    /** {@code host:port} of the fabric agent's data-path server; null for {@link DataPath#JOB}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof DataPathChoice))
            return false;
        DataPathChoice c = (DataPathChoice)o;
        return path == c.path && reason.equals(c.reason) && Objects.equals(endpoint, c.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, reason, endpoint);
    }

    @Override
    public String toString() {
        return path + (endpoint == null ? "" : " to " + endpoint) + " (" + reason + ')';
    }
}
