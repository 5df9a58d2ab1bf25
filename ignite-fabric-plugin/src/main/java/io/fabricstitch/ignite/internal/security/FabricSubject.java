package io.fabricstitch.ignite.internal.security;

import java.net.InetSocketAddress;
import java.util.UUID;
import org.apache.ignite.plugin.security.SecuritySubject;
import org.apache.ignite.plugin.security.SecuritySubjectType;

/** A node or a client as Ignite's security sees it; serializable, since Ignite keeps a node's in its attributes. */
final class FabricSubject implements SecuritySubject {
    private static final long serialVersionUID = 1L;

    private final UUID id;
    private final SecuritySubjectType type;
    private final Object login;
    private final InetSocketAddress address;

    FabricSubject(UUID id, SecuritySubjectType type, Object login, InetSocketAddress address) {
        this.id = id;
        this.type = type;
        this.login = login;
        this.address = address;
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public SecuritySubjectType type() {
        return type;
    }

    @Override
    public Object login() {
        return login;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return type + " " + login;
    }
}
