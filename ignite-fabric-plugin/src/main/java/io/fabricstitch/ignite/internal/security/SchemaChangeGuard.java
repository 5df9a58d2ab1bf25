package io.fabricstitch.ignite.internal.security;

import java.util.UUID;
import java.util.function.Function;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.events.DiscoveryCustomEvent;
import org.apache.ignite.internal.managers.discovery.DiscoveryCustomMessage;
import org.apache.ignite.internal.managers.discovery.SecurityAwareCustomMessageWrapper;
import org.apache.ignite.internal.processors.query.schema.SchemaOperationException;
import org.apache.ignite.internal.processors.query.schema.message.SchemaProposeDiscoveryMessage;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.spi.discovery.DiscoveryNotification;
import org.apache.ignite.spi.discovery.DiscoverySpiListener;

/**
 * Refuses readers' ALTER TABLE ADD/DROP COLUMN and CREATE/DROP INDEX, for which Ignite 2.17 checks no permission.
 * Each travels as a schema proposal, a discovery message the coordinator sees first and may still change: marked
 * failed there, the change is refused on every node and its SQL client gets the error. Wraps the discovery SPI's
 * listener. Not API.
 */
final class SchemaChangeGuard implements DiscoverySpiListener {
    private final DiscoverySpiListener delegate;
    private final Function<UUID, FabricSecurityContext> users;
    private final IgniteLogger log;

    SchemaChangeGuard(DiscoverySpiListener delegate, Function<UUID, FabricSecurityContext> users, IgniteLogger log) {
        this.delegate = delegate;
        this.users = users;
        this.log = log;
    }

    @Override
    public void onLocalNodeInitialized(ClusterNode localNode) {
        delegate.onLocalNodeInitialized(localNode);
    }

    @Override
    public IgniteFuture<?> onDiscovery(DiscoveryNotification n) {
        if (n.type() == DiscoveryCustomEvent.EVT_DISCOVERY_CUSTOM_EVT
            && n.getCustomMsgData() instanceof SecurityAwareCustomMessageWrapper) {
            SecurityAwareCustomMessageWrapper w = (SecurityAwareCustomMessageWrapper)n.getCustomMsgData();
            DiscoveryCustomMessage msg = w.delegate();
            if (msg instanceof SchemaProposeDiscoveryMessage && !((SchemaProposeDiscoveryMessage)msg).initialized()) {
                SchemaProposeDiscoveryMessage p = (SchemaProposeDiscoveryMessage)msg;
                FabricSecurityContext c = users.apply(w.securitySubjectId()); // null: a node, trusted
                if (c != null && !c.access().mayChangeSchema()) {
                    log.warning("Fabric Stitch: refused a schema change of " + c.subject() + " on schema "
                        + p.schemaName() + " (" + p.operation().getClass().getSimpleName() + ")");
                    p.onError(new SchemaOperationException("Fabric Stitch: " + c.subject() + " may not change the SQL "
                        + "schema (allowed: SELECT; an ADMIN user may)"));
                }
            }
        }
        return delegate.onDiscovery(n);
    }
}
