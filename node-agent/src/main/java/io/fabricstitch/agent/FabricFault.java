package io.fabricstitch.agent;

import io.fabricstitch.model.FabricStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A fault injected into a declared fabric for tests and demos: the fabric reports {@link #status()} with
 * {@link #reason()} until the fault is cleared, whatever its health check finds. Immutable.
 */
public final class FabricFault {
    private final FabricStatus status;
    private final String reason;
    private final Instant injectedAt;

    private FabricFault(FabricStatus status, String reason, Instant injectedAt) {
        this.status = status;
        this.reason = reason;
        this.injectedAt = injectedAt;
    }

    /**
     * @param status DEGRADED or OFFLINE
     * @throws IllegalArgumentException when {@code status} is ONLINE or null (clear the fault to restore a fabric)
     */
    public static FabricFault of(FabricStatus status, String reason, Instant injectedAt) {
        if (status == null || status == FabricStatus.ONLINE)
            throw new IllegalArgumentException("status: " + status + " (expected: DEGRADED or OFFLINE; restore a "
                + "fabric by clearing its fault)");
        String r = reason == null || reason.isBlank() ? "no reason given" : reason.trim();
        return new FabricFault(status, "injected fault: " + r, Objects.requireNonNull(injectedAt, "injectedAt"));
    }

    public FabricStatus status() {
        return status;
    }

    /** The status reason the fabric reports, starting with {@code injected fault: }. */
    public String reason() {
        return reason;
    }

    public Instant injectedAt() {
        return injectedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof FabricFault))
            return false;
        FabricFault f = (FabricFault)o;
        return status == f.status && reason.equals(f.reason) && injectedAt.equals(f.injectedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, injectedAt);
    }

    @Override
    public String toString() {
        return status + " (" + reason + ") since " + injectedAt;
    }
}
