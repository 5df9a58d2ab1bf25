package io.fabricstitch.ignite.compute;

import java.io.Serializable;

/**
 * The orchestrator's answer to a placement request: placed (with the {@link Placement}), queued (every capable fabric
 * is busy; ask again, the orchestrator places queued tasks as resources free up), or refused (no fabric could ever
 * take it, or the queue is full), with the reason. Immutable.
 */
public final class PlacementReply implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the orchestrator did with the request. */
    public enum Kind {
        /** A fabric's resources are reserved for the task. */
        PLACED,
        /** Waiting in the orchestrator's queue. */
        QUEUED,
        /** No fabric can ever take the task: {@link NoSuitableFabricException}. */
        NO_FABRIC,
        /** The queue is full: {@link FabricBusyException}. */
        QUEUE_FULL
    }

    private final Kind kind;
    private final Placement placement;
    private final String reason;

    private PlacementReply(Kind kind, Placement placement, String reason) {
        this.kind = kind;
        this.placement = placement;
        this.reason = reason;
    }

    public static PlacementReply placed(Placement p) {
        return new PlacementReply(Kind.PLACED, p, null);
    }

    public static PlacementReply queued(String reason) {
        return new PlacementReply(Kind.QUEUED, null, reason);
    }

    public static PlacementReply noFabric(String reason) {
        return new PlacementReply(Kind.NO_FABRIC, null, reason);
    }

    public static PlacementReply queueFull(String reason) {
        return new PlacementReply(Kind.QUEUE_FULL, null, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The placement when {@link Kind#PLACED}, else null. */
    public Placement placement() {
        return placement;
    }

    /** Why the task is not placed; null when placed. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind + (placement != null ? " " + placement : ": " + reason);
    }
}
