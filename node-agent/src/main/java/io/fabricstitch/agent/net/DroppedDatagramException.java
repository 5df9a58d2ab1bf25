package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;

/**
 * Thrown by the beacon handler that refuses a datagram; the {@link DropHandler} at the pipeline's end counts and logs
 * it. Expected (any host may send us anything), so it carries no stack trace.
 */
final class DroppedDatagramException extends RuntimeException {
    private final DropReason reason;
    private final InetSocketAddress sender;

    /**
     * @param detail what was wrong, as {@code found (expected: accepted)}
     */
    DroppedDatagramException(DropReason reason, InetSocketAddress sender, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.sender = sender;
    }

    DropReason reason() {
        return reason;
    }

    /** The datagram's source; null when unknown. */
    InetSocketAddress sender() {
        return sender;
    }
}
