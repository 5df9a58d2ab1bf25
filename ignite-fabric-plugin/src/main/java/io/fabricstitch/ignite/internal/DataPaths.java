package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.agent.datapath.TransferKey;
import io.fabricstitch.agent.rdma.RdmaDevices;
import io.fabricstitch.agent.rdma.RdmaTransport;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A node's side of the data paths: the settings its agent's servers run with, the TLS material (from PEM files, or the
 * development CA), the client that uploads inputs and downloads outputs, and the node attributes that tell the
 * orchestrator which paths the node can use. Every node has one when {@code dataPath.enabled}, clients too. Not API.
 */
public final class DataPaths implements AutoCloseable {
    private final DataPathConfiguration configuration;
    private final DataPathClient client;
    private final List<String> rdmaDevices;
    private final Map<String, RdmaTransport> transports;
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private DataPaths(DataPathConfiguration configuration, List<String> rdmaDevices,
        Map<String, RdmaTransport> transports) {
        this.configuration = configuration;
        this.client = new DataPathClient(configuration);
        this.rdmaDevices = rdmaDevices;
        this.transports = transports;
    }

    /**
     * The data paths of node {@code nodeName} listening on {@code host}, checking transfer tokens with the cluster's
     * key as {@code transferKey} gives it, finding RDMA devices under {@code sysfsRoot}, or null when
     * {@code dataPath.enabled} is false.
     *
     * @throws IllegalArgumentException naming a PEM file that cannot be used
     * @throws IllegalStateException when the development CA cannot be made or read
     */
    public static DataPaths create(FabricDataPathConfiguration cfg, String sysfsRoot, String nodeName, String host,
        Supplier<TransferKey> transferKey) {
        if (!cfg.isEnabled())
            return null;
        DataPathConfiguration dp = DataPathConfiguration.builder(cfg)
            .agentName(nodeName)
            .bindHost(host)
            .stagingDirectory(Path.of(cfg.getStagingDirectory(), nodeName))
            .tls(tls(cfg, nodeName))
            .transferKey(transferKey)
            .build();
        List<String> devices = RdmaDevices.list(Path.of(sysfsRoot));
        return new DataPaths(dp, devices, transports(cfg.getRdmaTransportClasses(), devices));
    }

    /**
     * The configured RDMA transports that support {@code devices}, by name.
     *
     * @throws IllegalArgumentException naming a class that cannot be loaded or made, or a name used twice
     */
    static Map<String, RdmaTransport> transports(List<String> classes, List<String> devices) {
        Map<String, RdmaTransport> out = new LinkedHashMap<>();
        for (String cls : classes) {
            RdmaTransport t;
            try {
                t = (RdmaTransport)Class.forName(cls, true, DataPaths.class.getClassLoader()).getConstructor()
                    .newInstance();
            }
            catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                throw new IllegalArgumentException("dataPath.rdmaTransportClasses element: '" + cls + "' cannot be "
                    + "made: " + e + " (expected: a class implementing " + RdmaTransport.class.getName()
                    + " with a public no-argument constructor)", e);
            }
            String name = t.name();
            if (name == null || !name.matches("[a-z0-9-]{1,32}") || out.containsKey(name))
                throw new IllegalArgumentException("dataPath.rdmaTransportClasses element: '" + cls + "' is named '"
                    + name + "' (expected: 1-32 of a-z, 0-9 and '-', each name once)");
            if (!devices.isEmpty() && t.supports(devices))
                out.put(name, t);
            else
                t.close();
        }
        return out;
    }

    /**
     * Starts the RDMA transports receiving into {@code sink} (a server node's staging area), listening on
     * {@code host}.
     *
     * @throws IllegalStateException naming the transport that could not listen
     */
    public void listen(String host, RdmaTransport.Sink sink) {
        for (RdmaTransport t : transports.values()) {
            try {
                endpoints.put(t.name(), t.listen(host, sink));
            }
            catch (IOException | RuntimeException e) {
                throw new IllegalStateException("RDMA transport " + t.name() + " cannot listen on " + host + ": "
                    + e.getMessage(), e);
            }
        }
    }

    /** The RDMA transport named {@code name} on this node; empty when not installed or not supported here. */
    public Optional<RdmaTransport> transport(String name) {
        return Optional.ofNullable(transports.get(name));
    }

    private static TlsMaterial tls(FabricDataPathConfiguration cfg, String nodeName) {
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
     * Adds the node attributes the orchestrator chooses paths by: the transports ({@code direct}, {@code tls},
     * {@code rdma:<name>} for each RDMA transport installed and supported here), the RDMA devices, the TLS server's
     * port ({@code tlsPort}, 0 when none) and the RDMA transports' endpoints ({@code name=endpoint}, servers only).
     */
    public void publish(Map<String, Object> attrs, int tlsPort) {
        StringBuilder paths = new StringBuilder(tls() ? "direct,tls" : "direct");
        transports.keySet().forEach(n -> paths.append(",rdma:").append(n));
        attrs.put(FabricMapSchema.ATTR_DATA_PATH, paths.toString());
        attrs.put(FabricMapSchema.ATTR_RDMA_DEVICES, String.join(",", rdmaDevices));
        attrs.put(FabricMapSchema.ATTR_DATA_PATH_TLS_PORT, tlsPort);
        attrs.put(FabricMapSchema.ATTR_RDMA_ENDPOINTS, endpoints.entrySet().stream()
            .map(e -> e.getKey() + '=' + e.getValue()).collect(Collectors.joining(",")));
    }

    @Override
    public void close() {
        client.close();
        transports.values().forEach(RdmaTransport::close);
    }
}
