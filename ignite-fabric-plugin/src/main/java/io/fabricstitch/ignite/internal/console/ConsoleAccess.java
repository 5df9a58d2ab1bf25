package io.fabricstitch.ignite.internal.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may do what on the console. Without a token every caller may read (the console then listens on loopback only);
 * with one, only requests carrying it ({@code Authorization: Bearer <token>}) may read, and they may also inject
 * faults when fault injection is on. The token is compared in constant time. Not API.
 */
final class ConsoleAccess {
    /** What a request may do. */
    enum Grant {
        /** Nothing: a token is required and the request lacks it or carries another. */
        NONE,
        /** Read the map, the matrix, the assignments and the metrics. */
        READ,
        /** Read, and fail, degrade and restore declared fabrics. */
        FAULTS
    }

    private final byte[] token;
    private final boolean faultInjection;

    ConsoleAccess(String token, boolean faultInjection) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.faultInjection = faultInjection && token != null;
    }

    boolean tokenRequired() {
        return token != null;
    }

    boolean faultInjection() {
        return faultInjection;
    }

    /** The grant of a request whose {@code Authorization} header is {@code authorization} (null when absent). */
    Grant grantOf(String authorization) {
        if (token == null)
            return Grant.READ;
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
            return Grant.NONE;
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token))
            return Grant.NONE;
        return faultInjection ? Grant.FAULTS : Grant.READ;
    }
}
