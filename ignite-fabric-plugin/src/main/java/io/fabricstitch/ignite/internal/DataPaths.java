package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.agent.rdma.RdmaDevices;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node's side of the data paths: the settings its agent's servers run with, the TLS material (from PEM files, or the
 * development CA), the client that uploads inputs and downloads outputs, and the node attributes that tell the
 * orchestrator which paths the node can use. Every node has one when {@code dataPathEnabled}, clients too. Not API.
 */
public final class DataPaths implements AutoCloseable {
    private final DataPathConfiguration configuration;
    private final DataPathClient client;
    private final List<String> rdmaDevices;

    private DataPaths(DataPathConfiguration configuration, List<String> rdmaDevices) {
        this.configuration = configuration;
        this.client = new DataPathClient(configuration);
        this.rdmaDevices = rdmaDevices;
    }

    /**
     * The data paths of node {@code nodeName} listening on {@code host}, or null when {@code dataPathEnabled} is
     * false.
     *
     * @throws IllegalArgumentException naming a PEM file that cannot be used
     * @throws IllegalStateException when the development CA cannot be made or read
     */
    public static DataPaths create(FabricPluginConfiguration cfg, String nodeName, String host) {
        if (!cfg.isDataPathEnabled())
            return null;
        DataPathConfiguration dp = DataPathConfiguration.builder()
            .agentName(nodeName)
            .bindHost(host)
            .port(cfg.getDataPathPort())
            .portRange(cfg.getDataPathPort() == 0 ? 1 : cfg.getDataPathPortRange())
            .chunkBytes(cfg.getDataPathChunkBytes())
            .readTimeout(Duration.ofMillis(cfg.getDataPathReadTimeoutMs()))
            .stagingDirectory(Path.of(cfg.getDataPathStagingDirectory(), nodeName))
            .tls(tls(cfg, nodeName))
            .build();
        return new DataPaths(dp, RdmaDevices.list(Path.of(cfg.getSysfsRoot())));
    }

    private static TlsMaterial tls(FabricPluginConfiguration cfg, String nodeName) {
        if (cfg.getTlsCertificateChain() != null)
            return TlsMaterial.ofPem(Path.of(cfg.getTlsCertificateChain()), Path.of(cfg.getTlsPrivateKey()),
                Path.of(cfg.getTlsTrustedCertificates()));
        if (cfg.isTlsDevelopmentCertificates())
            return TlsMaterial.development(Path.of(cfg.getTlsDevelopmentDirectory()), nodeName);
        return null;
    }

    /** The settings of the agent's servers (and of the client). */
    public DataPathConfiguration configuration() {
        return configuration;
    }

    /** The client of this node's transfers. */
    public DataPathClient client() {
        return client;
    }

    /** Whether this node has TLS material and so can use TLS paths. */
    public boolean tls() {
        return configuration.tls() != null;
    }

    /**
     * Adds the node attributes the orchestrator chooses paths by: the transports ({@code direct}, {@code tls}; no
     * RDMA transport ships with Fabric Stitch, so none is listed), the RDMA devices, and the TLS server's port
     * ({@code tlsPort}, 0 when none).
     */
    public void publish(Map<String, Object> attrs, int tlsPort) {
        attrs.put(FabricMapSchema.ATTR_DATA_PATH, tls() ? "direct,tls" : "direct");
        attrs.put(FabricMapSchema.ATTR_RDMA_DEVICES, String.join(",", rdmaDevices));
        attrs.put(FabricMapSchema.ATTR_DATA_PATH_TLS_PORT, tlsPort);
    }

    @Override
    public void close() {
        client.close();
    }
}
