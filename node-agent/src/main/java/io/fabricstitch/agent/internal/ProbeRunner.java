package io.fabricstitch.agent.internal;

import io.fabricstitch.agent.DetectedFabric;
import io.fabricstitch.agent.FabricProbe;
import io.fabricstitch.agent.ProbeResult;
import io.fabricstitch.agent.ProbeUnavailableException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs probes so that none can stop the node: an unavailable probe, a skipped input or an unexpected error is
 * logged once per distinct message (a health loop re-running probes does not flood the log) and yields no fabric.
 * Not API.
 */
public final class ProbeRunner {
    private static final System.Logger LOG = System.getLogger(ProbeRunner.class.getName());

    private final Set<String> logged = Collections.newSetFromMap(new ConcurrentHashMap<>());

    /** A device together with the precedence of the probe that saw it. */
    public static final class Sighting {
        final int precedence;
        final DetectedFabric fabric;

        Sighting(int precedence, DetectedFabric fabric) {
            this.precedence = precedence;
            this.fabric = fabric;
        }

        public DetectedFabric fabric() {
            return fabric;
        }
    }

    /** Runs every probe and returns all it saw, in probe order. */
    public List<Sighting> runAll(List<FabricProbe> probes) {
        List<Sighting> all = new ArrayList<>();
        for (FabricProbe p : probes) {
            for (DetectedFabric f : runOne(p))
                all.add(new Sighting(p.precedence(), f));
        }
        return all;
    }

    private List<DetectedFabric> runOne(FabricProbe probe) {
        try {
            ProbeResult r = probe.probe();
            for (String w : r.warnings())
                logOnce(Level.WARNING, "probe " + probe.name() + ": skipped " + w);
            logOnce(Level.INFO, "probe " + probe.name() + ": " + r.fabrics().size() + " device(s)");
            return r.fabrics();
        }
        catch (ProbeUnavailableException e) {
            logOnce(Level.INFO, "probe " + probe.name() + ": no fabric (" + e.getMessage() + ')');
        }
        catch (RuntimeException e) {
            String msg = "probe " + probe.name() + ": no fabric (failed: " + e + ')';
            if (logged.add(msg))
                LOG.log(Level.WARNING, msg, e);
        }
        return List.of();
    }

    private void logOnce(Level level, String msg) {
        if (logged.add(msg))
            LOG.log(level, msg);
    }
}
