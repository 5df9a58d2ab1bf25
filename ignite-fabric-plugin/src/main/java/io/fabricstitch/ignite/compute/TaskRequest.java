package io.fabricstitch.ignite.compute;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * What an application asks the acceleration plane for: run function {@code F} on a fabric of an accepted type that
 * can spare {@code amount} units of its resource, weighing latency against load by a priority class (or explicit
 * weights), within a timeout.
 * <pre>{@code
 * TaskRequest req = TaskRequest.builder("image.gaussian-blur")
 *     .fabricTypes(FabricType.FPGA)
 *     .amount(100)                      // 100 slices: the unit is the fabric's own
 *     .priority("latency-critical")
 *     .input(pngBytes)
 *     .timeout(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 * Immutable; validated by the builder, whose messages name the field. Serializable, so it travels to the
 * orchestrator (without its input, see {@link #withoutInput()}).
 */
public final class TaskRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Timeout when none is set. */
    public static final Duration DFLT_TIMEOUT = Duration.ofSeconds(30);

    /** Longest timeout accepted. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private static final byte[] NO_INPUT = new byte[0];

    private final String function;
    private final Set<FabricType> fabricTypes;
    private final long amount;
    private final String priority;
    private final CostWeights weights;
    private final UUID origin;
    private final byte[] input;
    private final long inputBytes;
    private final long timeoutMillis;
    private final UUID fabric;
    private final double work;
    private final boolean closure;

    private TaskRequest(Builder b) {
        function = b.function;
        fabricTypes = b.fabricTypes.isEmpty() ? Collections.unmodifiableSet(EnumSet.allOf(FabricType.class))
            : Collections.unmodifiableSet(EnumSet.copyOf(b.fabricTypes));
        amount = b.amount;
        priority = b.weights == null && b.priority == null ? PriorityClass.BALANCED : b.priority;
        weights = b.weights;
        origin = b.origin;
        input = b.input;
        inputBytes = b.input.length;
        timeoutMillis = b.timeout.toMillis();
        fabric = b.fabric;
        work = b.work;
        closure = false;
    }

    private TaskRequest(TaskRequest r, byte[] input, long inputBytes, UUID origin, UUID fabric) {
        this(r, input, inputBytes, origin, fabric, r.closure);
    }

    private TaskRequest(TaskRequest r, byte[] input, long inputBytes, UUID origin, UUID fabric, boolean closure) {
        function = r.function;
        fabricTypes = r.fabricTypes;
        amount = r.amount;
        priority = r.priority;
        weights = r.weights;
        this.origin = origin;
        this.input = input;
        this.inputBytes = inputBytes;
        timeoutMillis = r.timeoutMillis;
        this.fabric = fabric;
        work = r.work;
        this.closure = closure;
    }

    /** A builder for a request to run {@code function}. */
    public static Builder builder(String function) {
        return new Builder(function);
    }

    /** Name of the acceleration function to run. */
    public String function() {
        return function;
    }

    /** Fabric types accepted; every type when the request named none. */
    public Set<FabricType> fabricTypes() {
        return fabricTypes;
    }

    /** True when every fabric type is accepted. */
    public boolean anyFabricType() {
        return fabricTypes.size() == FabricType.values().length;
    }

    /** Resource units to reserve, in the chosen fabric's own unit (MiB, slices, lanes, cores). */
    public long amount() {
        return amount;
    }

    /** The priority class named, or null when explicit {@link #weights()} are given. */
    public String priority() {
        return priority;
    }

    /** Explicit weights, or null when a {@link #priority()} class is named. */
    public CostWeights weights() {
        return weights;
    }

    /** Node the latency is measured from (the caller, or the node holding the data); null means the caller. */
    public UUID origin() {
        return origin;
    }

    /** The input bytes (a copy). */
    public byte[] input() {
        return input.clone();
    }

    /** Input length in bytes (of the bytes this request carries). */
    public int inputLength() {
        return input.length;
    }

    /**
     * Size of the task's input in bytes, also when it travels apart from the request (a file streamed over the data
     * path, or a request stripped of its input for the orchestrator); it decides the data path.
     */
    public long inputBytes() {
        return inputBytes;
    }

    /** The task's expected work as the caller sized it ({@link Builder#work(double)}); 0 when not given. */
    public double work() {
        return work;
    }

    /**
     * The size the orchestrator compares tasks by: {@link #work()} when given, else {@link #inputBytes()} when
     * known, else 0 (unknown: taken as equal to the others).
     */
    public double size() {
        return work > 0 ? work : inputBytes;
    }

    /** The one fabric this request must run on, or null for the cheapest fitting one. */
    public UUID fabric() {
        return fabric;
    }

    /**
     * Whether the request places an application's closure ({@link FabricCompute#call}) rather than a run of its
     * function: the fabric must run the function, but the closure is what runs.
     */
    public boolean closure() {
        return closure;
    }

    /** The same request placing a closure (what {@link FabricCompute#call} places). */
    public TaskRequest asClosure() {
        return new TaskRequest(this, input, inputBytes, origin, fabric, true);
    }

    /** The input without copying, for the engine that sends it; callers must not change it (else use {@link #input()}). */
    public byte[] inputUnsafe() {
        return input;
    }

    /** How long the task may take, waiting in the queue included. */
    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /** The same request without its input (its size kept): what the orchestrator needs to place it. */
    public TaskRequest withoutInput() {
        return input.length == 0 ? this : new TaskRequest(this, NO_INPUT, inputBytes, origin, fabric);
    }

    /** The same request with {@code origin} set. */
    public TaskRequest withOrigin(UUID origin) {
        return new TaskRequest(this, input, inputBytes, origin, fabric);
    }

    /** The same request for an input of {@code bytes} that travels apart from it (streamed from a file). */
    public TaskRequest withInputBytes(long bytes) {
        return new TaskRequest(this, input, Checks.inRange(bytes, 0, Long.MAX_VALUE, "inputBytes"), origin, fabric);
    }

    /** The same request pinned to {@code fabricId}, or free to go anywhere when null. */
    public TaskRequest withFabric(UUID fabricId) {
        return new TaskRequest(this, input, inputBytes, origin, fabricId);
    }

    /** The fabric types as text, e.g. {@code FPGA} or {@code GPU|FPGA} or {@code any}. */
    public String fabricTypesText() {
        if (anyFabricType())
            return "any";
        StringJoiner j = new StringJoiner("|");
        fabricTypes.forEach(t -> j.add(t.name()));
        return j.toString();
    }

    @Override
    public String toString() {
        return "TaskRequest [function=" + function + ", fabricTypes=" + fabricTypesText() + ", amount=" + amount
            + (weights != null ? ", weights=[" + weights + ']' : ", priority=" + priority) + ", origin=" + origin
            + (fabric != null ? ", fabric=" + fabric : "") + (work > 0 ? ", work=" + work : "") + ", input="
            + inputBytes + " bytes, timeout=" + timeoutMillis
            + " ms]";
    }

    /** Builds a {@link TaskRequest}; every setter checks its value and names the field it refuses. */
    public static final class Builder {
        private final String function;
        private final EnumSet<FabricType> fabricTypes = EnumSet.noneOf(FabricType.class);
        private long amount = 1;
        private String priority;
        private CostWeights weights;
        private UUID origin;
        private byte[] input = NO_INPUT;
        private Duration timeout = DFLT_TIMEOUT;
        private UUID fabric;
        private double work;

        private Builder(String function) {
            this.function = Checks.name(function, "function");
        }

        /** Accepted fabric types; none (the default) means any type. */
        public Builder fabricTypes(FabricType... types) {
            for (FabricType t : Checks.notNull(types, "fabricTypes"))
                fabricTypes.add(Checks.notNull(t, "fabricTypes element"));
            return this;
        }

        /** Accepted fabric types; empty means any type. */
        public Builder fabricTypes(Collection<FabricType> types) {
            return fabricTypes(Checks.notNull(types, "fabricTypes").toArray(new FabricType[0]));
        }

        /** Units of the fabric's resource to reserve while the task runs; default 1. */
        public Builder amount(long amount) {
            this.amount = Checks.inRange(amount, 1, Long.MAX_VALUE, "amount");
            return this;
        }

        /** Shorthand for {@code fabricTypes(type).amount(amount)}. */
        public Builder require(FabricType type, long amount) {
            return fabricTypes(type).amount(amount);
        }

        /** Names a priority class of the plugin configuration (default {@value PriorityClass#BALANCED}). */
        public Builder priority(String priority) {
            if (weights != null)
                throw new IllegalArgumentException("priority: '" + priority + "' after weights [" + weights
                    + "] (expected: either a priority class or explicit weights)");
            this.priority = Checks.name(priority, "priority");
            return this;
        }

        /** Explicit weights instead of a priority class. */
        public Builder weights(CostWeights weights) {
            if (priority != null)
                throw new IllegalArgumentException("weights: [" + weights + "] after priority '" + priority
                    + "' (expected: either a priority class or explicit weights)");
            this.weights = Checks.notNull(weights, "weights");
            return this;
        }

        /** Node to measure latency from; default the calling node. */
        public Builder origin(UUID origin) {
            this.origin = Checks.notNull(origin, "origin");
            return this;
        }

        /**
         * Pins the task to one fabric (a partitioned task's part, a data-locality decision): only that fabric is
         * considered, and it waits for it when busy; if that fabric is lost mid-run the task is placed again
         * anywhere it fits. Default: the cheapest fitting fabric.
         */
        public Builder fabric(UUID fabricId) {
            this.fabric = Checks.notNull(fabricId, "fabric");
            return this;
        }

        /** Input bytes (copied). */
        public Builder input(byte[] input) {
            this.input = Checks.notNull(input, "input").clone();
            return this;
        }

        /**
         * The task's expected work, in any unit the caller uses for all its tasks (frames, rows, input megabytes,
         * FLOPs); default 0, unknown. The orchestrator compares sizes, never units: while faster fabrics are busy it
         * holds a large task for them and lets small ones take a slower fabric. Without it, the input's size stands
         * in; without either, tasks count as equal.
         */
        public Builder work(double work) {
            if (!(work >= 0) || Double.isInfinite(work))
                throw new IllegalArgumentException("work: " + work + " (expected: a finite number >= 0, 0 for unknown)");
            this.work = work;
            return this;
        }

        /** Longest time the task may take, queueing included; default 30 s. */
        public Builder timeout(Duration timeout) {
            Checks.notNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0)
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: more than 0 and at most "
                    + MAX_TIMEOUT + ")");
            this.timeout = timeout;
            return this;
        }

        public TaskRequest build() {
            return new TaskRequest(this);
        }
    }
}
