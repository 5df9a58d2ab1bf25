package io.fabricstitch.ignite.test;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.compute.FabricFailoverSpi;
import io.fabricstitch.ignite.compute.FabricLoadBalancingSpi;
import io.fabricstitch.model.FabricType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Main of a test node in a JVM of its own (see {@link ChildNodeProcess}). Arguments are {@code --key value} pairs:
 * {@code name}, {@code work}, {@code claims}, {@code host} (127.0.0.1), {@code discovery} (the test clusters'
 * loopback range), {@code declared} (repeatable, {@code name:TYPE:count:unit:latencyMs:speedFactor:fn+fn}),
 * {@code site}, {@code health-interval-ms}, {@code injected-latency}, {@code beacon-interface}, {@code beacon-port},
 * {@code spis fabric}, {@code peer-class-loading true}. The beacon secret comes from {@code FABRIC_BEACON_SECRET}.
 * <p>
 * Prints {@value #READY} and the node id once started; then reads commands from standard input: {@code stop} (leave
 * the cluster and exit), {@code sql <query>} (prints one {@value #ROW} line per row, values joined by {@code |}, then
 * {@value #END}; a failing query prints {@value #ERR} and the error instead of rows). Standard input closing ends the
 * process.
 */
public final class ChildNode {
    static final String READY = "READY ";
    static final String ROW = "ROW ";
    static final String END = "END";
    static final String ERR = "ERR ";

    private ChildNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> opts = parse(args);
        String name = one(opts, "name", null);
        String host = one(opts, "host", "127.0.0.1");
        List<String> discovery = Arrays.asList(one(opts, "discovery", "127.0.0.1:" + FabricTestCluster.DISCOVERY_PORT
            + ".." + (FabricTestCluster.DISCOVERY_PORT + FabricTestCluster.PORT_RANGE - 1)).split(","));
        IgniteConfiguration cfg = FabricTestCluster.nodeConfiguration(name, host, discovery,
            Path.of(one(opts, "work", "target/child-work")));
        FabricPluginConfiguration plugin = new FabricPluginConfiguration()
            .setSite(one(opts, "site", "default"))
            .setAgent(new FabricAgentConfiguration().setClaimDirectory(one(opts, "claims", "target/child-claims"))
                .setHealthIntervalMs(Long.parseLong(one(opts, "health-interval-ms", "1000"))))
            .setNetwork(new FabricNetworkConfiguration().setAgentPort(0)
                .setBeaconPort(Integer.parseInt(one(opts, "beacon-port", "47400")))
                .setInjectedLatency(one(opts, "injected-latency", ""))
                .setBeaconInterface(one(opts, "beacon-interface", null)));
        List<DeclaredFabric> declared = new ArrayList<>();
        for (String d : opts.getOrDefault("declared", List.of()))
            declared.add(declared(d));
        plugin.getAgent().setDeclaredFabrics(declared).setDeviceAllowList(declared.isEmpty() ? List.of("declared:none")
            : declared.stream().map(d -> "declared:" + d.getName()).collect(Collectors.toList()));
        cfg.setPluginProviders(new FabricPluginProvider().setConfiguration(plugin));
        if ("fabric".equals(one(opts, "spis", "")))
            cfg.setLoadBalancingSpi(new FabricLoadBalancingSpi()).setFailoverSpi(new FabricFailoverSpi());
        cfg.setPeerClassLoadingEnabled(Boolean.parseBoolean(one(opts, "peer-class-loading", "false")));
        Ignite ignite = Ignition.start(cfg);
        System.out.println(READY + ignite.cluster().localNode().id());
        System.out.flush();
        serve(ignite);
    }

    private static void serve(Ignite ignite) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stop"))
                break;
            if (line.startsWith("sql ")) {
                try {
                    for (List<?> row : ignite.cache("FABRIC_MAP").query(new SqlFieldsQuery(line.substring(4)))
                        .getAll()) {
                        System.out.println(ROW + row.stream().map(String::valueOf).collect(Collectors.joining("|")));
                    }
                }
                catch (RuntimeException e) {
                    System.out.println(ERR + e.toString().replace('\n', ' '));
                }
                System.out.println(END);
                System.out.flush();
            }
        }
        Ignition.stop(ignite.name(), true);
        System.exit(0);
    }

    /** {@code name:TYPE:count:unit:latencyMs:speedFactor:fn+fn}. */
    static DeclaredFabric declared(String spec) {
        String[] f = spec.split(":");
        if (f.length != 7)
            throw new IllegalArgumentException("--declared: '" + spec + "' (expected: "
                + "name:TYPE:count:unit:latencyMs:speedFactor:fn+fn)");
        return new DeclaredFabric().setName(f[0]).setType(FabricType.parse(f[1])).setModel(f[0] + " (declared)")
            .setResourceCount(Long.parseLong(f[2])).setResourceUnit(f[3]).setLatencyMs(Double.parseDouble(f[4]))
            .setSpeedFactor(Double.parseDouble(f[5])).setFunctions(Arrays.asList(f[6].split("\\+")));
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--"))
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (expected: --key value)");
            opts.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[i + 1]);
        }
        return opts;
    }

    private static String one(Map<String, List<String>> opts, String key, String dflt) {
        List<String> v = opts.get(key);
        if (v == null || v.isEmpty()) {
            if (dflt == null && "name".equals(key))
                throw new IllegalArgumentException("--name is required");
            return dflt;
        }
        return v.get(v.size() - 1);
    }
}
