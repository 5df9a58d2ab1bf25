package io.fabricstitch.ignite;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.internal.ConfigPaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The orchestrator's part of {@link FabricPluginConfiguration} (property {@code orchestrator}): how it routes tasks
 * (priority classes, prices, degraded fabrics, holding for a faster one), how long tasks queue, how often they are
 * retried, when a silent agent's fabrics turn DEGRADED and OFFLINE, and how long the task ledger keeps assignments.
 * Chaining setters in Ignite's style; {@link #validate(long)} names a refused value by its path
 * ({@code orchestrator.maxAttempts}).
 */
public class FabricOrchestratorConfiguration {
    /** Property path of these settings in {@link FabricPluginConfiguration}, in validation messages. */
    static final String PATH = "orchestrator.";

    /** Default silence after which the orchestrator turns an agent's fabrics DEGRADED, ms. */
    public static final long DFLT_SILENT_DEGRADED_AFTER_MS = 3_000;

    /** Default silence after which the orchestrator turns an agent's fabrics OFFLINE, ms. */
    public static final long DFLT_SILENT_OFFLINE_AFTER_MS = 10_000;

    /** Default most tasks waiting for busy fabrics, cluster-wide. */
    public static final int DFLT_MAX_QUEUED_TASKS = 1024;

    /** Default longest wait of a task for a busy fabric, in milliseconds (the task's own timeout may be shorter). */
    public static final long DFLT_QUEUE_TIMEOUT_MS = 10_000;

    /** Default longest wait of a task for a busy faster fabric, ms. */
    public static final long DFLT_HOLD_FOR_FASTER_MS = 1_000;

    /** Default most placements of one task (the first one and the retries after its node left). */
    public static final int DFLT_MAX_ATTEMPTS = 3;

    /** Default time a {@code TASK_ASSIGNMENT} row is kept, in milliseconds (one hour). */
    public static final long DFLT_TASK_ASSIGNMENT_EXPIRY_MS = 3_600_000;

    /** Default most {@code TASK_ASSIGNMENT} rows kept; the oldest go first. */
    public static final int DFLT_TASK_ASSIGNMENT_MAX_ROWS = 10_000;

    private List<String> priorityClasses = new ArrayList<>();
    private String fabricPrices = "";
    private boolean allowDegraded;
    private int maxQueuedTasks = DFLT_MAX_QUEUED_TASKS;
    private long holdForFasterMs = DFLT_HOLD_FOR_FASTER_MS;
    private boolean pricePerSpeed;
    private long queueTimeoutMs = DFLT_QUEUE_TIMEOUT_MS;
    private int maxAttempts = DFLT_MAX_ATTEMPTS;
    private long taskAssignmentExpiryMs = DFLT_TASK_ASSIGNMENT_EXPIRY_MS;
    private int taskAssignmentMaxRows = DFLT_TASK_ASSIGNMENT_MAX_ROWS;
    private long silentDegradedAfterMs = DFLT_SILENT_DEGRADED_AFTER_MS;
    private long silentOfflineAfterMs = DFLT_SILENT_OFFLINE_AFTER_MS;

    /**
     * Priority classes in addition to, or replacing by name, the defaults {@code latency-critical}, {@code balanced}
     * and {@code batch}; each a one-line spec {@code name: latencyWeight=W, resourceWeight=W} (see
     * {@link PriorityClass}).
     */
    public List<String> getPriorityClasses() {
        return priorityClasses;
    }

    public FabricOrchestratorConfiguration setPriorityClasses(List<String> priorityClasses) {
        this.priorityClasses = priorityClasses == null ? new ArrayList<>() : new ArrayList<>(priorityClasses);
        return this;
    }

    /**
     * The effective priority classes by name: the defaults, overridden and extended by {@link #getPriorityClasses()}.
     */
    public Map<String, PriorityClass> priorityClassMap() {
        Map<String, PriorityClass> map = new TreeMap<>();
        for (PriorityClass pc : PriorityClass.defaults())
            map.put(pc.name(), pc);
        Set<String> seen = new HashSet<>();
        for (String spec : priorityClasses) {
            PriorityClass pc = PriorityClass.parse(spec);
            if (!seen.add(pc.name()))
                throw new IllegalArgumentException("priorityClasses: '" + pc.name() + "' defined twice");
            map.put(pc.name(), pc);
        }
        return map;
    }

    /** Price per fabric type in the resource term, e.g. {@code GPU=2.0, FPGA=1.5}; types not named cost 1.0. */
    public String getFabricPrices() {
        return fabricPrices;
    }

    public FabricOrchestratorConfiguration setFabricPrices(String fabricPrices) {
        this.fabricPrices = fabricPrices;
        return this;
    }

    /** Whether DEGRADED fabrics take tasks when no ONLINE fabric fits; default false. */
    public boolean isAllowDegraded() {
        return allowDegraded;
    }

    public FabricOrchestratorConfiguration setAllowDegraded(boolean allowDegraded) {
        this.allowDegraded = allowDegraded;
        return this;
    }

    /**
     * Longest a task waits for a busy faster fabric (a higher speed factor) while the cheapest free one is slower,
     * ms; default {@value #DFLT_HOLD_FOR_FASTER_MS}, 0 turns holding off. It waits only while the faster fabrics
     * would be through the tasks waiting ahead of it and itself before the slower one finished it (sizes from
     * {@code TaskRequest.work}, else the input's size, else taken as equal), and never past half its queue time.
     */
    public long getHoldForFasterMs() {
        return holdForFasterMs;
    }

    public FabricOrchestratorConfiguration setHoldForFasterMs(long holdForFasterMs) {
        this.holdForFasterMs = holdForFasterMs;
        return this;
    }

    /**
     * Whether each fabric's price (its type's price in {@code fabricPrices}) is divided by its speed factor, so that
     * the resource term weighs a slot of a fabric twice as fast at half the cost; default false (the price of the
     * type alone). Turn it on where fabrics of one type differ in speed and throughput matters more than spreading
     * load evenly.
     */
    public boolean isPricePerSpeed() {
        return pricePerSpeed;
    }

    public FabricOrchestratorConfiguration setPricePerSpeed(boolean pricePerSpeed) {
        this.pricePerSpeed = pricePerSpeed;
        return this;
    }

    /** Most tasks waiting for busy fabrics at once, cluster-wide; default {@value #DFLT_MAX_QUEUED_TASKS}. */
    public int getMaxQueuedTasks() {
        return maxQueuedTasks;
    }

    public FabricOrchestratorConfiguration setMaxQueuedTasks(int maxQueuedTasks) {
        this.maxQueuedTasks = maxQueuedTasks;
        return this;
    }

    /** Longest wait of a task for a busy fabric, ms; default {@value #DFLT_QUEUE_TIMEOUT_MS}. */
    public long getQueueTimeoutMs() {
        return queueTimeoutMs;
    }

    public FabricOrchestratorConfiguration setQueueTimeoutMs(long queueTimeoutMs) {
        this.queueTimeoutMs = queueTimeoutMs;
        return this;
    }

    /** Most placements of one task when its fabric's node leaves mid-run; default {@value #DFLT_MAX_ATTEMPTS}. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    public FabricOrchestratorConfiguration setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** How long a {@code TASK_ASSIGNMENT} row is kept, ms; default {@value #DFLT_TASK_ASSIGNMENT_EXPIRY_MS}. */
    public long getTaskAssignmentExpiryMs() {
        return taskAssignmentExpiryMs;
    }

    public FabricOrchestratorConfiguration setTaskAssignmentExpiryMs(long taskAssignmentExpiryMs) {
        this.taskAssignmentExpiryMs = taskAssignmentExpiryMs;
        return this;
    }

    /** Most {@code TASK_ASSIGNMENT} rows kept; default {@value #DFLT_TASK_ASSIGNMENT_MAX_ROWS}. */
    public int getTaskAssignmentMaxRows() {
        return taskAssignmentMaxRows;
    }

    public FabricOrchestratorConfiguration setTaskAssignmentMaxRows(int taskAssignmentMaxRows) {
        this.taskAssignmentMaxRows = taskAssignmentMaxRows;
        return this;
    }

    /**
     * The orchestrator turns the fabrics of a node whose agent has not reported for this long DEGRADED, ms; default
     * {@value #DFLT_SILENT_DEGRADED_AFTER_MS}. Must exceed the agents' {@code agent.healthIntervalMs}.
     */
    public long getSilentDegradedAfterMs() {
        return silentDegradedAfterMs;
    }

    public FabricOrchestratorConfiguration setSilentDegradedAfterMs(long silentDegradedAfterMs) {
        this.silentDegradedAfterMs = silentDegradedAfterMs;
        return this;
    }

    /**
     * The orchestrator turns the fabrics of a node whose agent has not reported for this long OFFLINE, ms; default
     * {@value #DFLT_SILENT_OFFLINE_AFTER_MS}. Must exceed {@code silentDegradedAfterMs}.
     */
    public long getSilentOfflineAfterMs() {
        return silentOfflineAfterMs;
    }

    public FabricOrchestratorConfiguration setSilentOfflineAfterMs(long silentOfflineAfterMs) {
        this.silentOfflineAfterMs = silentOfflineAfterMs;
        return this;
    }

    /**
     * Checks every value; the silence thresholds against the agents' health interval {@code healthIntervalMs}
     * ({@code agent.healthIntervalMs} of the same tree): an agent reports once per interval, so silence must last
     * longer.
     *
     * @throws IllegalArgumentException naming the property by its path ({@code orchestrator.maxAttempts}), the value
     *     and what is accepted
     */
    public void validate(long healthIntervalMs) {
        for (String spec : priorityClasses)
            ConfigPaths.at(PATH + "priorityClasses: ", () -> PriorityClass.parse(spec));
        ConfigPaths.at(PATH, this::priorityClassMap);
        ConfigPaths.at(PATH, () -> CostFunction.parse(fabricPrices));
        Checks.inRange(maxQueuedTasks, 0, 1_000_000, PATH + "maxQueuedTasks");
        Checks.inRange(queueTimeoutMs, 0, 86_400_000, PATH + "queueTimeoutMs");
        Checks.inRange(holdForFasterMs, 0, 3_600_000, PATH + "holdForFasterMs");
        Checks.inRange(maxAttempts, 1, 100, PATH + "maxAttempts");
        Checks.inRange(taskAssignmentExpiryMs, 1_000, 30L * 86_400_000, PATH + "taskAssignmentExpiryMs");
        Checks.inRange(taskAssignmentMaxRows, 1, 10_000_000, PATH + "taskAssignmentMaxRows");
        Checks.inRange(silentDegradedAfterMs, healthIntervalMs + 1, 86_400_000, PATH + "silentDegradedAfterMs");
        Checks.inRange(silentOfflineAfterMs, silentDegradedAfterMs + 1, 86_400_000, PATH + "silentOfflineAfterMs");
    }

    @Override
    public String toString() {
        return "FabricOrchestratorConfiguration [priorityClasses=" + priorityClasses + ", fabricPrices=" + fabricPrices
            + ", allowDegraded=" + allowDegraded + ", holdForFasterMs=" + holdForFasterMs + ", pricePerSpeed="
            + pricePerSpeed + ", maxQueuedTasks=" + maxQueuedTasks + ", queueTimeoutMs=" + queueTimeoutMs
            + ", maxAttempts=" + maxAttempts + ", taskAssignmentExpiryMs=" + taskAssignmentExpiryMs
            + ", taskAssignmentMaxRows=" + taskAssignmentMaxRows + ", silentDegradedAfterMs=" + silentDegradedAfterMs
            + ", silentOfflineAfterMs=" + silentOfflineAfterMs + ']';
    }
}
