package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes join and leave under a continuous stream of FabricCompute tasks: two joins (a node in this JVM, a node in a
 * JVM of its own) and two leaves (a graceful stop, and {@code kill -9} of a process), with at least
 * {@value #MIN_TASKS} tasks. Every task must return exactly one correct result (a SHA-256 checked against
 * {@link MessageDigest}), no task may succeed twice in {@code TASK_ASSIGNMENT}, the ledger must end empty, and each
 * new node's fabric must take work.
 */
class ElasticMembershipTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final int MIN_TASKS = 1_000;
    static final int SUBMITTERS = 8;
    static final int AFTER_EACH_EVENT = 100;

    static DeclaredFabric asic(String name, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.ASIC).setModel(name + " (declared)")
            .setResourceUnit("lanes").setResourceCount(4).setLatencyMs(latencyMs).setSpeedFactor(0.01)
            .setFunctions(List.of("sha256"));
    }

    static Ignite startInJvm(String name, DeclaredFabric asic) {
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(List.of(asic)).setDeviceAllowList(List.of("declared:" + asic.getName()));
            p.getOrchestrator().setQueueTimeoutMs(Timing.scaled(60_000));
        });
    }

    static ChildNodeProcess startChild(String name, String asic, double latencyMs) {
        return CLUSTER.startChild(ChildNodeProcess.Spec.named(name)
            .declared(asic + ":ASIC:4:lanes:" + latencyMs + ":0.01:sha256"));
    }

    /** The stream: submitters run tasks until told to stop; every result is checked and recorded. */
    static final class Stream {
        final Ignite caller;
        final AtomicInteger submitted = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final Map<Integer, Placement> results = new ConcurrentHashMap<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        final List<Future<?>> workers = new ArrayList<>();

        Stream(Ignite caller) {
            this.caller = caller;
        }

        void start() {
            for (int i = 0; i < SUBMITTERS; i++)
                workers.add(pool.submit(this::submitUntilStopped));
        }

        private void submitUntilStopped() {
            while (!stop.get()) {
                int n = submitted.getAndIncrement();
                byte[] input = ByteBuffer.allocate(64 * 1024).putInt(n).array();
                try {
                    TaskResult r = FabricCompute.of(caller).execute(TaskRequest.builder("sha256")
                        .require(FabricType.ASIC, 1).priority("balanced").input(input)
                        .timeout(Duration.ofSeconds(60)).build());
                    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(input), r.output(),
                        "digest of task " + n);
                    if (results.putIfAbsent(n, r.placement()) != null)
                        duplicates.incrementAndGet();
                    completed.incrementAndGet();
                }
                catch (Throwable e) {
                    errors.add("task " + n + ": " + e);
                }
            }
        }

        void awaitCompleted(int count) {
            Timing.await(count + " tasks completed", () -> completed.get() >= count || !errors.isEmpty(),
                () -> completed.get() + " completed, errors " + errors);
        }

        void finish() throws Exception {
            stop.set(true);
            for (Future<?> w : workers) {
                try {
                    w.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a submitter did not finish its task within " + Timing.CONDITION
                        + " of the stop; where the submitters are:\n" + submitterStacks(), e);
                }
            }
            pool.shutdownNow();
        }

        /** The stacks of the threads running {@link #submitUntilStopped}, for a submitter that does not finish. */
        private static String submitterStacks() {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                boolean submitter = java.util.Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getMethodName().contains("submitUntilStopped"));
                if (!submitter)
                    continue;
                b.append(e.getKey().getName()).append('\n');
                for (StackTraceElement f : e.getValue())
                    b.append("    at ").append(f).append('\n');
            }
            return b.toString();
        }
    }

    @Test
    void tasksStreamThroughTwoJoinsAndTwoLeaves_withNothingLostOrDuplicated() throws Exception {
        Ignite caller = startInJvm("m0", asic("a0", 4));
        Ignite leaving = startInJvm("m1", asic("a1", 3));
        ChildNodeProcess killed = startChild("m2", "a2", 2);
        Timing.await("3 ASICs in the caller's map", () -> asicCount(caller) == 3);
        Stream stream = new Stream(caller);
        stream.start();
        Map<String, Instant> joinedAt = new TreeMap<>();

        stream.awaitCompleted(150);
        ChildNodeProcess joinedChild = startChild("m3", "a3", 1.5);
        joinedAt.put("a3", Instant.now());
        stream.awaitCompleted(stream.completed.get() + AFTER_EACH_EVENT);
        killed.kill();
        Instant killedAt = Instant.now();
        stream.awaitCompleted(stream.completed.get() + AFTER_EACH_EVENT);
        startInJvm("m4", asic("a4", 1));
        joinedAt.put("a4", Instant.now());
        stream.awaitCompleted(stream.completed.get() + AFTER_EACH_EVENT);
        CLUSTER.stop("m1");
        stream.awaitCompleted(Math.max(MIN_TASKS, stream.completed.get() + AFTER_EACH_EVENT));
        stream.finish();

        assertEquals(List.of(), new ArrayList<>(stream.errors), "no task lost or failed");
        assertEquals(0, stream.duplicates.get(), "no task answered twice");
        assertEquals(stream.submitted.get(), stream.results.size(), "every submitted task has its one result");
        assertTrue(stream.results.size() >= MIN_TASKS, stream.results.size() + " tasks");

        Map<String, Integer> perFabric = new TreeMap<>();
        Set<UUID> taskIds = new HashSet<>();
        for (Placement p : stream.results.values()) {
            perFabric.merge(p.model().replace(" (declared)", ""), 1, Integer::sum);
            taskIds.add(p.taskId());
        }
        assertTrue(perFabric.getOrDefault("a3", 0) > 0, "the child that joined took work: " + perFabric);
        assertTrue(perFabric.getOrDefault("a4", 0) > 0, "the node that joined took work: " + perFabric);
        Map<String, Integer> states = new TreeMap<>();
        Set<String> twice = new HashSet<>();
        Map<String, Instant> firstWork = new TreeMap<>();
        assertTrue(FabricCompute.of(caller).awaitReleases(Timing.CONDITION), "the caller's releases taken");
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT t.TASK_ID, t.STATE, e.MODEL, t.STARTED_AT "
                 + "FROM FABRIC.TASK_ASSIGNMENT t "
                 + "LEFT JOIN FABRIC.FABRIC_ENTRY e ON e.FABRIC_ID = t.FABRIC_ID")) {
            Set<String> succeeded = new HashSet<>();
            while (rs.next()) {
                String task = rs.getString(1);
                if (!taskIds.contains(UUID.fromString(task)))
                    continue;
                states.merge(rs.getString(2), 1, Integer::sum);
                if ("SUCCEEDED".equals(rs.getString(2)) && !succeeded.add(task))
                    twice.add(task);
                String model = String.valueOf(rs.getString(3)).replace(" (declared)", "");
                Instant at = rs.getTimestamp(4).toInstant();
                firstWork.merge(model, at, (a, b) -> a.isBefore(b) ? a : b);
            }
            assertEquals(taskIds.size(), succeeded.size(), "one SUCCEEDED attempt per task");
        }
        assertEquals(Set.of(), twice, "no task succeeded twice");
        Timing.await("the ledger empty", () -> FabricCompute.of(caller).orchestrator().reservedUnits().isEmpty());
        System.out.println("elastic stream: " + stream.results.size() + " tasks, per fabric " + perFabric
            + ", attempts by state " + states + "; kill -9 of m2 at " + killedAt + "; first work on a new fabric "
            + "after its node joined: a3 " + Duration.between(joinedAt.get("a3"), firstWork.get("a3")).toMillis()
            + " ms, a4 " + Duration.between(joinedAt.get("a4"), firstWork.get("a4")).toMillis() + " ms");
        assertTrue(leaving != null && joinedChild.isAlive());
    }

    static long asicCount(Ignite node) {
        return FabricPlugin.of(node).fabricMap().stream().filter(f -> f.getFabricType() == FabricType.ASIC
            && f.getStatus().name().equals("ONLINE")).count();
    }
}
