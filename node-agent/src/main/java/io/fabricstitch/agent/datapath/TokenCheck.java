package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.time.Instant;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The server's check of an OPEN's {@link TransferToken}, before anything is staged or served: present and well formed,
 * signed with the cluster's key, for this direction and transfer, for a fabric this server answers for, not expired,
 * and (for an upload) declaring no more bytes than it allows. Each refusal is an
 * {@link Failure#UNAUTHORIZED UNAUTHORIZED} failure saying what was wrong and what is accepted. Thread-safe.
 */
final class TokenCheck {
    private final Supplier<TransferKey> key;
    private final Predicate<UUID> hostsFabric;
    private final LongSupplier wallClock;

    TokenCheck(DataPathConfiguration cfg) {
        key = cfg.transferKey();
        hostsFabric = cfg.hostsFabric();
        wallClock = cfg.wallClock();
    }

    /**
     * The grant of the OPEN's token.
     *
     * @param from how messages name the transfer: {@code of transfer <id> from <peer>}
     * @throws DataPathException {@link Failure#UNAUTHORIZED UNAUTHORIZED} unless every check passes
     */
    TransferGrant check(OpenRequest req, String from) {
        String what = "data path: " + req.op() + ' ' + from;
        TransferKey k = key.get();
        if (k == null)
            throw refused(what + " is refused: this server has no transfer key yet (expected: a server whose node has "
                + "joined its cluster, or whose configuration sets transferKey)");
        byte[] raw = req.token();
        if (raw == null)
            throw refused(what + " carries no transfer token (expected: the token the orchestrator issued with the "
                + "placement, or the agent with the staged output)");
        String malformed = TransferToken.malformation(raw);
        if (malformed != null)
            throw refused(what + " carries a malformed transfer token: " + malformed);
        TransferToken token = TransferToken.of(raw);
        if (!token.signedBy(k))
            throw refused(what + " carries a transfer token not signed with this cluster's key (expected: a token "
                + "issued in this cluster; are both nodes in the same cluster, with the same network.beaconSecret?)");
        return checkGrant(token.grant(), req, what);
    }

    private TransferGrant checkGrant(TransferGrant g, OpenRequest req, String what) {
        TransferGrant.Direction wanted = req.op() == OpenRequest.Op.PUT ? TransferGrant.Direction.UPLOAD
            : TransferGrant.Direction.DOWNLOAD;
        if (g.direction() != wanted)
            throw refused(what + " carries a token for a " + g.direction() + " (expected: one for a " + wanted + ")");
        if (!g.transferId().equals(req.transferId()))
            throw refused(what + " carries a token for transfer " + g.transferId() + " (expected: one for transfer "
                + req.transferId() + ", the OPEN's)");
        long now = wallClock.getAsLong();
        if (now >= g.expiresAtMillis())
            throw refused(what + " carries a token that expired at " + Instant.ofEpochMilli(g.expiresAtMillis())
                + ", " + (now - g.expiresAtMillis()) + " ms ago (expected: a token used within its lifetime; are the "
                + "nodes' clocks in step?)");
        if (!hostsFabric.test(g.fabricId()))
            throw refused(what + " carries a token for fabric " + g.fabricId() + ", which this server does not host "
                + "(expected: a token for one of its fabrics)");
        if (req.op() == OpenRequest.Op.PUT && req.declaredLength() > g.maxBytes())
            throw refused(what + " declares " + req.declaredLength() + " bytes, more than the " + g.maxBytes()
                + " its token allows (expected: at most the token's maxBytes)");
        return g;
    }

    private static DataPathException refused(String message) {
        return DataPathException.expected(Failure.UNAUTHORIZED, message);
    }
}
