package io.fabricstitch.ignite.internal.security;

import java.io.Serializable;
import org.apache.ignite.internal.processors.security.SecurityContext;
import org.apache.ignite.plugin.security.SecuritySubject;

/** A subject and what it may do: a node (everything) or a user with its role. */
final class FabricSecurityContext implements SecurityContext, Serializable {
    private static final long serialVersionUID = 1L;

    private final FabricSubject subject;
    private final Access access;

    FabricSecurityContext(FabricSubject subject, Access access) {
        this.subject = subject;
        this.access = access;
    }

    @Override
    public SecuritySubject subject() {
        return subject;
    }

    Access access() {
        return access;
    }

    @Override
    public String toString() {
        return subject + " (" + access + ')';
    }
}
