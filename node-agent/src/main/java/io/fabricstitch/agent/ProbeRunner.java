package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.ProbeUnavailableException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Runs probes so that none can stop the node: an unavailable probe, a skipped input or an unexpected error is
 * logged once per distinct message (a health loop re-running probes does not flood the log) and yields no fabric.
 * Each run also says how every probe fared and how long it took, which the health check reads. Not API.
 */
final class ProbeRunner {
    private static final System.Logger LOG = System.getLogger(ProbeRunner.class.getName());

    private final Set<String> logged = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final LongSupplier nanoTime;

    public ProbeRunner(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

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

    /** How one probe's run went: whether it answered, why not, and how long it took. */
    public static final class Outcome {
        private final boolean answered;
        private final String problem;
        private final long nanos;

        Outcome(boolean answered, String problem, long nanos) {
            this.answered = answered;
            this.problem = problem;
            this.nanos = nanos;
        }

        /** True when the probe ran and reported (possibly no device); false when unavailable or failing. */
        public boolean answered() {
            return answered;
        }

        /** Why the probe did not answer; empty when it did. */
        public String problem() {
            return problem;
        }

        /** How long the run took, in nanoseconds. */
        public long nanos() {
            return nanos;
        }
    }

    /** Everything one run of the probes saw, and each probe's outcome by probe name. */
    public static final class Round {
        private final List<Sighting> sightings;
        private final Map<String, Outcome> outcomes;

        Round(List<Sighting> sightings, Map<String, Outcome> outcomes) {
            this.sightings = List.copyOf(sightings);
            this.outcomes = Collections.unmodifiableMap(outcomes);
        }

        public List<Sighting> sightings() {
            return sightings;
        }

        public Map<String, Outcome> outcomes() {
            return outcomes;
        }
    }

    /** Runs every probe and returns all it saw, in probe order. */
    public List<Sighting> runAll(List<FabricProbe> probes) {
        return run(probes).sightings();
    }

    /** Runs every probe; returns what they saw, in probe order, and how each fared. */
    public Round run(List<FabricProbe> probes) {
        List<Sighting> all = new ArrayList<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (FabricProbe p : probes) {
            long start = nanoTime.getAsLong();
            String problem = null;
            List<DetectedFabric> found = List.of();
            try {
                found = runOne(p);
            }
            catch (ProbeUnavailableException e) {
                problem = e.getMessage();
                logOnce(Level.INFO, "probe " + p.name() + ": no fabric (" + e.getMessage() + ')');
            }
            catch (RuntimeException e) {
                problem = "failed: " + e;
                String msg = "probe " + p.name() + ": no fabric (failed: " + e + ')';
                if (logged.add(msg))
                    LOG.log(Level.WARNING, msg, e);
            }
            for (DetectedFabric f : found)
                all.add(new Sighting(p.precedence(), f));
            outcomes.put(p.name(), new Outcome(problem == null, problem == null ? "" : problem,
                nanoTime.getAsLong() - start));
        }
        return new Round(all, outcomes);
    }

    private List<DetectedFabric> runOne(FabricProbe probe) throws ProbeUnavailableException {
        ProbeResult r = probe.probe();
        for (String w : r.warnings())
            logOnce(Level.WARNING, "probe " + probe.name() + ": skipped " + w);
        logOnce(Level.INFO, "probe " + probe.name() + ": " + r.fabrics().size() + " device(s)");
        return r.fabrics();
    }

    private void logOnce(Level level, String msg) {
        if (logged.add(msg))
            LOG.log(level, msg);
    }
}
