package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.services.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos, as an application sees it: 1 000 {@link FabricCompute#callAsync} tasks from 6 threads of a client node,
 * about 120 in flight, against four server JVMs; {@code kill -9} of the node that hosts the orchestrator after 300
 * results, then of a worker node after 650. Afterwards: every task returned exactly one result (0 lost, 0
 * duplicated), {@code TASK_ASSIGNMENT} holds exactly one SUCCEEDED row per task, on its last attempt, and every other
 * attempt ended LOST (none RUNNING, none taken back for expiring), and the ledger is empty within failure detection
 * + 1 s of the last result.
 */
class OrchestratorKillChaosTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final int TASKS = 1_000;
    static final int THREADS = 6;
    static final int IN_FLIGHT = 120;

    @Test
    void killingTheOrchestratorsNodeAndAWorker_losesNothing_andTheLedgerSaysWhatCallersSaw() throws Exception {
        List<ChildNodeProcess> servers = new ArrayList<>();
        servers.add(CLUSTER.startChild(server(1))); // the oldest server: the orchestrator starts there
        List<CompletableFuture<ChildNodeProcess>> starting = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            ChildNodeProcess.Spec spec = server(i);
            starting.add(CompletableFuture.supplyAsync(() -> CLUSTER.startChild(spec)));
        }
        for (CompletableFuture<ChildNodeProcess> f : starting)
            servers.add(f.join());
        Ignite k0 = CLUSTER.start(CLUSTER.configuration("k0", new FabricPluginConfiguration()).setClientMode(true));
        Timing.await("the four GPUs in the client's map", () -> FabricPlugin.of(k0).fabricMap().stream()
            .filter(f -> f.getFabricType() == FabricType.GPU).count() == 4);
        assertEquals(servers.get(0).nodeId(), orchestratorNode(k0), "the orchestrator runs on the oldest server");

        FabricCompute fc = FabricCompute.of(k0);
        Map<Integer, String> results = new ConcurrentHashMap<>();
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        AtomicInteger returned = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ExecutorService submitters = Executors.newFixedThreadPool(THREADS);
        long[] lastResultNanos = new long[1];
        for (int t = 0; t < THREADS; t++) {
            submitters.execute(() -> {
                for (int i = next.getAndIncrement(); i < TASKS; i = next.getAndIncrement()) {
                    inFlight.acquireUninterruptibly();
                    int n = i;
                    fc.callAsync(request(), new ChaosJob(n)).listen(f -> {
                        try {
                            String prev = results.put(n, f.get());
                            if (prev != null)
                                failures.put(n, new AssertionError("task " + n + " returned twice"));
                        }
                        catch (RuntimeException e) {
                            failures.put(n, e);
                        }
                        synchronized (lastResultNanos) {
                            lastResultNanos[0] = System.nanoTime();
                        }
                        returned.incrementAndGet();
                        inFlight.release();
                    });
                }
            });
        }
        Duration stream = Duration.ofMillis(Timing.scaled(180_000));
        Timing.await("300 results", stream, () -> returned.get() >= 300, returned::toString);
        servers.get(0).kill();
        Timing.await("650 results", stream, () -> returned.get() >= 650, returned::toString);
        UUID orchestrator = orchestratorNode(k0);
        ChildNodeProcess worker = servers.stream().filter(s -> s.isAlive() && !s.nodeId().equals(orchestrator))
            .reduce((a, b) -> b).orElseThrow();
        worker.kill();
        Timing.await("all results", stream, () -> returned.get() == TASKS, returned::toString);
        submitters.shutdown();
        assertTrue(submitters.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(Map.of(), failures, "no task lost");
        assertEquals(TASKS, results.size());
        Map<String, String> resultOf = results.values().stream().collect(Collectors.toMap(r -> r.split(" ")[0],
            r -> r, (a, b) -> a + " and " + b));
        Set<String> taskIds = resultOf.keySet();
        assertEquals(TASKS, taskIds.size(), "every result from a task of its own");

        long heldSince;
        synchronized (lastResultNanos) {
            heldSince = lastResultNanos[0];
        }
        Duration bound = Duration.ofMillis(Timing.FAILURE_DETECTION_MS + Timing.scaled(1_000));
        Timing.await("the ledger empty within failure detection + 1 s of the last result",
            bound.minusNanos(Math.min(bound.toNanos(), System.nanoTime() - heldSince)),
            () -> fc.orchestrator().reservedUnits().isEmpty(), () -> fc.orchestrator().reservedUnits().toString());
        long emptyAfterMs = (System.nanoTime() - heldSince) / 1_000_000;

        Map<String, List<String>> byTask = new HashMap<>();
        Timing.await("no RUNNING row left", () -> {
            byTask.clear();
            for (List<?> row : k0.cache(FabricMapSchema.FABRIC_MAP_CACHE).query(new SqlFieldsQuery(
                "SELECT TASK_ID, ATTEMPT, STATE, DETAIL FROM FABRIC.TASK_ASSIGNMENT ORDER BY ATTEMPT")).getAll()) {
                byTask.computeIfAbsent(String.valueOf(row.get(0)), k -> new ArrayList<>())
                    .add(row.get(1) + " " + row.get(2) + " " + row.get(3));
            }
            return byTask.values().stream().flatMap(List::stream).noneMatch(r -> r.contains(" RUNNING "));
        }, () -> running(byTask));
        Map<String, String> wrong = new TreeMap<>();
        for (String id : taskIds) {
            List<String> rows = byTask.getOrDefault(id, List.of());
            long succeeded = rows.stream().filter(r -> r.contains(" SUCCEEDED ")).count();
            boolean lastSucceeded = !rows.isEmpty() && rows.get(rows.size() - 1).contains(" SUCCEEDED ");
            boolean restLost = rows.subList(0, Math.max(0, rows.size() - 1)).stream()
                .allMatch(r -> r.contains(" LOST "));
            if (succeeded != 1 || !lastSucceeded || !restLost)
                wrong.put(id, rows + ", result " + resultOf.get(id));
        }
        long moved = byTask.values().stream().filter(rows -> rows.size() > 1).count();
        System.out.println("chaos: " + TASKS + " tasks, " + moved + " placed again after a kill, ledger empty "
            + emptyAfterMs + " ms after the last result (at most " + bound.toMillis()
            + " ms)");
        assertEquals(Map.of(), wrong, "one SUCCEEDED row per task, on its last attempt; every earlier attempt LOST");
        assertTrue(byTask.values().stream().flatMap(List::stream).noneMatch(r -> r.contains("expired unreleased")),
            "no reservation taken back for expiring");
    }

    private static String running(Map<String, List<String>> byTask) {
        return byTask.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(r -> r.contains(" RUNNING ")))
            .limit(5).map(Object::toString).collect(Collectors.joining("; "));
    }

    static ChildNodeProcess.Spec server(int i) {
        return ChildNodeProcess.Spec.named("c" + i).declared("cg" + i + ":GPU:64:MiB:1:1:sha256");
    }

    static TaskRequest request() {
        return TaskRequest.builder("sha256").require(FabricType.GPU, 1).timeout(Duration.ofSeconds(30)).build();
    }

    static UUID orchestratorNode(Ignite ignite) {
        for (ServiceDescriptor d : ignite.services().serviceDescriptors()) {
            if (d.name().equals(FabricMapSchema.ORCHESTRATOR_SERVICE))
                return d.topologySnapshot().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("the orchestrator runs nowhere"));
        }
        throw new AssertionError("no orchestrator deployed");
    }

    /** Stands for a short piece of work (30 ms), and says which task and attempt ran it. */
    static final class ChaosJob implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final int n;

        ChaosJob(int n) {
            this.n = n;
        }

        @Override
        public String call() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30)); // the work itself
            Placement p = FabricTaskContext.current().placement();
            return p.taskId() + " " + p.attempt() + " " + n;
        }
    }
}
