package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.DataPath;
import io.fabricstitch.ignite.compute.DataPathChoice;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.model.FabricEntry;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Chooses how a placed task's input travels (see {@link DataPath}) from what the caller's node and the fabric's node
 * published when they joined: their site, the data-path transports they can use ({@code direct}, {@code tls},
 * {@code rdma:<transport>}) and their RDMA devices. The reason names what decided it and why the better paths were not
 * taken. Stateless and thread-safe.
 */
public final class DataPathSelector {
    private final long thresholdBytes;

    /** @param thresholdBytes inputs at least this large use a data path; smaller ones ride in the job */
    public DataPathSelector(long thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
    }

    /** The path for an input of {@code inputBytes} from {@code caller} to {@code fabric} on {@code fabricNode}. */
    public DataPathChoice choose(long inputBytes, ClusterNode caller, ClusterNode fabricNode, FabricEntry fabric) {
        if (inputBytes < thresholdBytes) {
            return DataPathChoice.job("input of " + bytes(inputBytes) + " is under the " + bytes(thresholdBytes)
                + " threshold");
        }
        Set<String> mine = list(caller, FabricMapSchema.ATTR_DATA_PATH);
        Set<String> theirs = list(fabricNode, FabricMapSchema.ATTR_DATA_PATH);
        String endpoint = fabric.getAgentAddress();
        if (theirs.isEmpty() || endpoint.endsWith(":0"))
            return DataPathChoice.job("node " + name(fabricNode)
                + " runs no data-path server (dataPath.enabled=false)");
        if (mine.isEmpty())
            return DataPathChoice.job("the caller " + name(caller) + " has no data path (dataPath.enabled=false)");
        String noRdma = rdma(caller, fabricNode, mine, theirs);
        String rdmaEndpoint = noRdma.startsWith("rdma:") ? rdmaEndpoint(fabricNode, noRdma.substring(5)) : null;
        if (rdmaEndpoint != null)
            return DataPathChoice.rdma(noRdma.substring(5), rdmaEndpoint);
        if (noRdma.startsWith("rdma:"))
            noRdma = "no RDMA: transport " + noRdma.substring(5) + " does not listen on " + name(fabricNode);
        String site = siteOf(caller);
        if (site != null && site.equals(fabric.getSite()))
            return DataPathChoice.of(DataPath.DIRECT, "same site '" + site + "'; " + noRdma, endpoint);
        String sites = "sites '" + site + "' and '" + fabric.getSite() + "' differ";
        Object tlsPort = fabricNode.attribute(FabricMapSchema.ATTR_DATA_PATH_TLS_PORT);
        if (mine.contains("tls") && theirs.contains("tls") && tlsPort instanceof Integer && (Integer)tlsPort > 0)
            return DataPathChoice.of(DataPath.TLS, sites + "; " + noRdma, withPort(endpoint, (Integer)tlsPort));
        String without = !mine.contains("tls") ? name(caller) : name(fabricNode);
        return DataPathChoice.job(sites + " and node " + without + " has no TLS (expected: "
            + "dataPath.tlsCertificateChain, dataPath.tlsPrivateKey and dataPath.tlsTrustedCertificates, or "
            + "dataPath.tlsDevelopmentCertificates, on both nodes); the input rides in the Ignite job");
    }

    /** {@code rdma:<transport>} when RDMA fits, else why not. */
    private static String rdma(ClusterNode caller, ClusterNode fabricNode, Set<String> mine, Set<String> theirs) {
        boolean devHere = !list(caller, FabricMapSchema.ATTR_RDMA_DEVICES).isEmpty();
        boolean devThere = !list(fabricNode, FabricMapSchema.ATTR_RDMA_DEVICES).isEmpty();
        if (!devHere || !devThere)
            return "no RDMA: " + (!devHere ? name(caller) : name(fabricNode)) + " has no RDMA device";
        for (String t : mine) {
            if (t.startsWith("rdma:") && theirs.contains(t))
                return t;
        }
        return "no RDMA: both nodes have RDMA devices, but no RDMA transport is installed on both";
    }

    /** Where {@code transport} listens on {@code node}, or null. */
    private static String rdmaEndpoint(ClusterNode node, String transport) {
        for (String e : list(node, FabricMapSchema.ATTR_RDMA_ENDPOINTS)) {
            int eq = e.indexOf('=');
            if (eq > 0 && e.substring(0, eq).equals(transport))
                return e.substring(eq + 1);
        }
        return null;
    }

    /** {@code host:port} with the port replaced. */
    private static String withPort(String endpoint, int port) {
        return endpoint.substring(0, endpoint.lastIndexOf(':') + 1) + port;
    }

    private static Set<String> list(ClusterNode node, String attr) {
        Object v = node == null ? null : node.attribute(attr);
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof String && !((String)v).isBlank())
            Arrays.stream(((String)v).split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        return out;
    }

    private static String siteOf(ClusterNode node) {
        Object v = node == null ? null : node.attribute(FabricMapSchema.ATTR_SITE);
        return v instanceof String ? (String)v : null;
    }

    private static String name(ClusterNode node) {
        return node == null ? "(gone)" : String.valueOf(node.consistentId());
    }

    /** {@code 12.3 KiB}, {@code 1 MiB}. */
    static String bytes(long n) {
        if (n < 1024)
            return n + " bytes";
        double kib = n / 1024.0;
        if (kib < 1024)
            return trim(kib) + " KiB";
        double mib = kib / 1024;
        return mib < 1024 ? trim(mib) + " MiB" : trim(mib / 1024) + " GiB";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long)v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
