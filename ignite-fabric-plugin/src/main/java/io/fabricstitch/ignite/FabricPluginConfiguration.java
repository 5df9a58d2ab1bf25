package io.fabricstitch.ignite;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.internal.Checks;
import org.apache.ignite.plugin.PluginConfiguration;

/**
 * Settings of the Fabric Stitch plugin on one node: the node's site and address, then one nested bean per part, as
 * Ignite nests {@code DataStorageConfiguration} in {@code IgniteConfiguration}:
 * <ul>
 *   <li>{@link #getAgent() agent}: the agent's probes, declared fabrics, functions, health policy and claim files;</li>
 *   <li>{@link #getNetwork() network}: beacons, the cluster secret, seeds and latency probes between agents;</li>
 *   <li>{@link #getDataPath() dataPath}: the data-path servers, TLS, chunking, staging and RDMA transports;</li>
 *   <li>{@link #getOrchestrator() orchestrator}: routing, priority classes and prices, queueing, failover and the
 *   task ledger;</li>
 *   <li>{@link #getConsole() console}: the web console and its REST API;</li>
 *   <li>{@link #getSecurity() security}: who may join and connect (off unless set).</li>
 * </ul>
 * Every bean has chaining setters in Ignite's style, so the tree reads the same from code and as Spring XML; every
 * value is checked when the node starts ({@link #validate()}), each message naming the property by its path
 * ({@code network.beaconIntervalMs}).
 * <pre>{@code
 * <bean class="io.fabricstitch.ignite.plugin.FabricPluginProvider">
 *   <property name="configuration">
 *     <bean class="io.fabricstitch.ignite.FabricPluginConfiguration">
 *       <property name="site" value="rack-a"/>
 *       <property name="network">
 *         <bean class="io.fabricstitch.agent.net.FabricNetworkConfiguration">
 *           <property name="beaconSecretFile" value="/etc/fabric/secret"/>
 *         </bean>
 *       </property>
 *     </bean>
 *   </property>
 * </bean>
 * }</pre>
 * <pre>{@code
 * FabricPluginConfiguration cfg = new FabricPluginConfiguration().setSite("rack-a");
 * cfg.getNetwork().setBeaconSecretFile("/etc/fabric/secret");
 * cfg.getConsole().setEnabled(false);
 * }</pre>
 */
public class FabricPluginConfiguration implements PluginConfiguration {
    /** Default site label. */
    public static final String DFLT_SITE = AgentConfiguration.DFLT_SITE;

    private String site = DFLT_SITE;
    private String advertiseHost;
    private FabricSecurityConfiguration security;
    private FabricAgentConfiguration agent = new FabricAgentConfiguration();
    private FabricNetworkConfiguration network = new FabricNetworkConfiguration();
    private FabricDataPathConfiguration dataPath = new FabricDataPathConfiguration();
    private FabricOrchestratorConfiguration orchestrator = new FabricOrchestratorConfiguration();
    private FabricConsoleConfiguration console = new FabricConsoleConfiguration();

    /** Site (network segment) label of this node's fabrics; default {@value #DFLT_SITE}. */
    public String getSite() {
        return site;
    }

    public FabricPluginConfiguration setSite(String site) {
        this.site = site;
        return this;
    }

    /**
     * Host other agents reach this node's agent on; default: {@code IgniteConfiguration.localHost}, else
     * {@code 127.0.0.1}.
     */
    public String getAdvertiseHost() {
        return advertiseHost;
    }

    public FabricPluginConfiguration setAdvertiseHost(String advertiseHost) {
        this.advertiseHost = advertiseHost;
        return this;
    }

    /**
     * Who may join and who may connect (null: off, the default): nodes must present the cluster secret
     * ({@link FabricNetworkConfiguration#effectiveBeaconSecret()}) to join, JDBC and thin clients must log in; see
     * {@link FabricSecurityConfiguration}. Every node of the cluster must have it on, or none.
     */
    public FabricSecurityConfiguration getSecurity() {
        return security;
    }

    public FabricPluginConfiguration setSecurity(FabricSecurityConfiguration security) {
        this.security = security;
        return this;
    }

    /** The agent's settings: probes, declared fabrics, functions, health policy, device claims. */
    public FabricAgentConfiguration getAgent() {
        return agent;
    }

    public FabricPluginConfiguration setAgent(FabricAgentConfiguration agent) {
        this.agent = agent;
        return this;
    }

    /** Beacons, the cluster secret, seeds and latency probes between agents. */
    public FabricNetworkConfiguration getNetwork() {
        return network;
    }

    public FabricPluginConfiguration setNetwork(FabricNetworkConfiguration network) {
        this.network = network;
        return this;
    }

    /** The data paths: servers, TLS, chunking, staging, RDMA transports. */
    public FabricDataPathConfiguration getDataPath() {
        return dataPath;
    }

    public FabricPluginConfiguration setDataPath(FabricDataPathConfiguration dataPath) {
        this.dataPath = dataPath;
        return this;
    }

    /** Routing, priority classes and prices, queueing, failover, silence of agents, the task ledger. */
    public FabricOrchestratorConfiguration getOrchestrator() {
        return orchestrator;
    }

    public FabricPluginConfiguration setOrchestrator(FabricOrchestratorConfiguration orchestrator) {
        this.orchestrator = orchestrator;
        return this;
    }

    /** The web console and its REST API. */
    public FabricConsoleConfiguration getConsole() {
        return console;
    }

    public FabricPluginConfiguration setConsole(FabricConsoleConfiguration console) {
        this.console = console;
        return this;
    }

    /**
     * Checks every value: this bean's, then each nested bean's, then the rules that span two of them.
     *
     * @throws IllegalArgumentException naming the property by its path (e.g. {@code network.beaconPort}), the value
     *     and what is accepted
     */
    public void validate() {
        Checks.name(site, "site");
        if (advertiseHost != null)
            Checks.notBlank(advertiseHost, "advertiseHost", 253);
        Checks.notNull(agent, "agent").validate();
        Checks.notNull(network, "network").validate();
        Checks.notNull(dataPath, "dataPath").validate();
        Checks.notNull(orchestrator, "orchestrator").validate(agent.getHealthIntervalMs());
        Checks.notNull(console, "console").validate();
        if (security != null) {
            security.validate();
            if (network.effectiveBeaconSecret() == null)
                throw new IllegalArgumentException("security: on, but no cluster secret (expected: "
                    + "network.beaconSecret, network.beaconSecretFile or the "
                    + FabricNetworkConfiguration.ENV_BEACON_SECRET + " environment variable, the same on every "
                    + "node: nodes present it to join)");
        }
    }

    @Override
    public String toString() {
        return "FabricPluginConfiguration [site=" + site + ", advertiseHost=" + advertiseHost + ", security="
            + (security == null ? "off" : "on") + ", agent=" + agent + ", network=" + network + ", dataPath="
            + dataPath + ", orchestrator=" + orchestrator + ", console=" + console + ']';
    }
}
