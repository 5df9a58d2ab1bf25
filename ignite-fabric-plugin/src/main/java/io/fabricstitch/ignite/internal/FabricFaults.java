package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.agent.FabricFault;
import io.fabricstitch.ignite.FabricFaultsMXBean;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.ignite.IgniteLogger;

/** The {@link FabricFaultsMXBean} of a node: fault injection through its agent and reporter. Not API. */
public final class FabricFaults implements FabricFaultsMXBean {
    private final FabricAgent agent;
    private final AgentReporter reporter;
    private ObjectName registered;

    public FabricFaults(FabricAgent agent, AgentReporter reporter) {
        this.agent = agent;
        this.reporter = reporter;
    }

    /** The MBean's name for a node. */
    public static ObjectName objectName(String nodeName) throws JMException {
        return new ObjectName("io.fabricstitch:type=FabricFaults,node=" + ObjectName.quote(nodeName));
    }

    /** Registers the MBean in the platform MBean server; a failure is logged, not thrown (JMX is optional). */
    public FabricFaults register(String nodeName, IgniteLogger log) {
        try {
            MBeanServer srv = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = objectName(nodeName);
            if (srv.isRegistered(name))
                srv.unregisterMBean(name);
            srv.registerMBean(this, name);
            registered = name;
        }
        catch (JMException | RuntimeException e) {
            log.warning("Fabric Stitch: fault-injection MBean of node " + nodeName + " not registered: " + e);
        }
        return this;
    }

    /** Unregisters the MBean, if registered. */
    public void unregister() {
        if (registered == null)
            return;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        }
        catch (JMException | RuntimeException ignored) {
            // Already gone.
        }
        registered = null;
    }

    @Override
    public String[] getDeclaredFabrics() {
        List<String> lines = new ArrayList<>();
        agent.declaredFabrics().forEach((name, id) -> lines.add(name + " = " + id));
        return lines.toArray(new String[0]);
    }

    @Override
    public String[] getFaults() {
        List<String> lines = new ArrayList<>();
        Map<UUID, FabricFault> faults = agent.faults();
        agent.declaredFabrics().forEach((name, id) -> {
            FabricFault f = faults.get(id);
            if (f != null)
                lines.add(name + ": " + f);
        });
        return lines.toArray(new String[0]);
    }

    @Override
    public String fail(String fabric, String reason) {
        return state(agent.injectFault(fabric, FabricStatus.OFFLINE, reason));
    }

    @Override
    public String degrade(String fabric, String reason) {
        return state(agent.injectFault(fabric, FabricStatus.DEGRADED, reason));
    }

    @Override
    public String restore(String fabric) {
        agent.clearFault(fabric);
        return state(agent.declaredFabrics().getOrDefault(fabric, parse(fabric)));
    }

    @Override
    public String silence(long millis) {
        Checks.inRange(millis, 0, 86_400_000, "millis");
        reporter.silence(Duration.ofMillis(millis));
        return millis == 0 ? "agent " + agent.agentName() + " reports again"
            : "agent " + agent.agentName() + " silent for " + millis + " ms";
    }

    private static UUID parse(String fabric) {
        try {
            return UUID.fromString(fabric.trim());
        }
        catch (RuntimeException e) {
            return null;
        }
    }

    private String state(UUID id) {
        FabricEntry e = agent.fabric(id).orElse(null);
        if (e == null)
            return "fabric " + id + ": not reported";
        return "fabric " + id + " (" + e.getFabricType() + ' ' + e.getModel() + "): " + e.getStatus()
            + (e.getStatusReason().isEmpty() ? "" : " (" + e.getStatusReason() + ')');
    }
}
