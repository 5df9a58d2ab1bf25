package io.fabricstitch.ignite.internal.security;

import io.fabricstitch.ignite.FabricUser;
import org.apache.ignite.plugin.security.SecurityPermission;

/** What a subject may do: the same decision on every node. */
enum Access {
    /** A server or thick client that presented the cluster secret. */
    NODE,
    /** A user with role {@code ADMIN}. */
    ADMIN,
    /** A user with role {@code READER}: reads only. */
    READER;

    static Access of(FabricUser.Role role) {
        return role == FabricUser.Role.ADMIN ? ADMIN : READER;
    }

    /** Whether {@code permission} on {@code name} (a cache, service or task) is allowed. */
    boolean allows(String name, SecurityPermission permission) {
        return this != READER || permission == SecurityPermission.CACHE_READ;
    }

    /** Whether SQL schema changes (ALTER TABLE, CREATE or DROP INDEX, which Ignite checks no permission for) are. */
    boolean mayChangeSchema() {
        return this != READER;
    }
}
