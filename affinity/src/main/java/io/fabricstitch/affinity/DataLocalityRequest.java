package io.fabricstitch.affinity;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * A job over cached data: what it needs from a fabric (a {@link TaskRequest}: function, accepted types, amount,
 * priority class or weights, origin, timeout), how much data it reads from the cache entry or partition, and how
 * fast it processes that data on a fabric of speed factor 1.
 * <pre>{@code
 * DataLocalityRequest req = DataLocalityRequest.builder("matmul.f32")
 *     .fabricTypes(FabricType.GPU, FabricType.CPU)
 *     .priority("latency-critical")
 *     .dataBytes(64L << 20)              // the job reads 64 MiB
 *     .referenceMibPerSecond(20)         // at 20 MiB/s on the host CPU (speed factor 1)
 *     .build();
 * }</pre>
 * Immutable; validated by the builder, whose messages name the field.
 */
public final class DataLocalityRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest {@link #referenceMibPerSecond()}: 1 TiB/s. */
    public static final double MAX_REFERENCE_MIB_PER_SECOND = 1 << 20;

    private final TaskRequest task;
    private final long dataBytes;
    private final double referenceMibPerSecond;
    private final boolean readFromBackups;

    private DataLocalityRequest(TaskRequest task, long dataBytes, double referenceMibPerSecond,
        boolean readFromBackups) {
        Checks.notNull(task, "task");
        if (task.fabric() != null)
            throw new IllegalArgumentException("task: pinned to fabric " + task.fabric() + " (expected: an unpinned "
                + "request; the router chooses the fabric)");
        this.task = task;
        this.dataBytes = checkDataBytes(dataBytes);
        this.referenceMibPerSecond = checkRate(referenceMibPerSecond);
        this.readFromBackups = readFromBackups;
    }

    /** A builder for a job that needs a fabric running {@code function}. */
    public static Builder builder(String function) {
        return new Builder(TaskRequest.builder(function));
    }

    /**
     * A request for an existing, unpinned {@code task} that reads {@code dataBytes} at {@code referenceMibPerSecond}
     * on a fabric of speed factor 1; backups do not count as holding the data.
     */
    public static DataLocalityRequest of(TaskRequest task, long dataBytes, double referenceMibPerSecond) {
        return new DataLocalityRequest(task, dataBytes, referenceMibPerSecond, false);
    }

    private static long checkDataBytes(long bytes) {
        return Checks.inRange(bytes, 0, Long.MAX_VALUE, "dataBytes");
    }

    private static double checkRate(double mibPerSecond) {
        return Checks.positiveAtMost(mibPerSecond, MAX_REFERENCE_MIB_PER_SECOND, "referenceMibPerSecond");
    }

    /** What the job needs from a fabric; never pinned. */
    public TaskRequest task() {
        return task;
    }

    /** Bytes the job reads from the cache entry or partition: what moves when it runs away from the data. */
    public long dataBytes() {
        return dataBytes;
    }

    /** MiB per second the job processes on a fabric of speed factor 1 (the host CPU). */
    public double referenceMibPerSecond() {
        return referenceMibPerSecond;
    }

    /**
     * Whether the job reads the data on a backup node as well as on the primary (a cache with
     * {@code readFromBackup=true} that is {@code FULL_SYNC} or not written meanwhile): then a backup's node needs no
     * transfer either. Default false: only the primary holds the data.
     */
    public boolean readFromBackups() {
        return readFromBackups;
    }

    /** The same request with {@link #readFromBackups()} set. */
    public DataLocalityRequest withReadFromBackups(boolean readFromBackups) {
        return new DataLocalityRequest(task, dataBytes, referenceMibPerSecond, readFromBackups);
    }

    /** Milliseconds the job computes on a fabric of {@code speedFactor}: {@code dataBytes / (rate x speed)}. */
    public double computeMs(double speedFactor) {
        return dataBytes * 1000.0 / (referenceMibPerSecond * LocalityScan.MIB * speedFactor);
    }

    @Override
    public String toString() {
        return "DataLocalityRequest [task=" + task + ", dataBytes=" + dataBytes + ", referenceMibPerSecond="
            + referenceMibPerSecond + ", readFromBackups=" + readFromBackups + ']';
    }

    /**
     * Builds a {@link DataLocalityRequest}; the fabric settings are those of {@link TaskRequest.Builder} (checked by
     * it), {@code dataBytes} and {@code referenceMibPerSecond} are required. Every setter names the field it refuses.
     */
    public static final class Builder {
        private final TaskRequest.Builder task;
        private Long dataBytes;
        private Double referenceMibPerSecond;
        private boolean readFromBackups;

        private Builder(TaskRequest.Builder task) {
            this.task = task;
        }

        /** Accepted fabric types; none (the default) means any type. */
        public Builder fabricTypes(FabricType... types) {
            task.fabricTypes(types);
            return this;
        }

        /** Accepted fabric types; empty means any type. */
        public Builder fabricTypes(Collection<FabricType> types) {
            task.fabricTypes(types);
            return this;
        }

        /** Units of the fabric's resource to reserve while the job runs; default 1. */
        public Builder amount(long amount) {
            task.amount(amount);
            return this;
        }

        /** Shorthand for {@code fabricTypes(type).amount(amount)}. */
        public Builder require(FabricType type, long amount) {
            task.require(type, amount);
            return this;
        }

        /** Names a priority class of the plugin configuration (default {@code balanced}). */
        public Builder priority(String priority) {
            task.priority(priority);
            return this;
        }

        /** Explicit weights instead of a priority class. */
        public Builder weights(CostWeights weights) {
            task.weights(weights);
            return this;
        }

        /** Node the result goes back to and the network latency is measured from; default the calling node. */
        public Builder origin(UUID origin) {
            task.origin(origin);
            return this;
        }

        /** Longest time the job may take, waiting for its fabric included; default 30 s. */
        public Builder timeout(Duration timeout) {
            task.timeout(timeout);
            return this;
        }

        /** Bytes the job reads from the cache entry or partition ({@code >= 0}); required. */
        public Builder dataBytes(long dataBytes) {
            this.dataBytes = checkDataBytes(dataBytes);
            return this;
        }

        /** MiB per second the job processes on a fabric of speed factor 1 ({@code > 0}); required. */
        public Builder referenceMibPerSecond(double referenceMibPerSecond) {
            this.referenceMibPerSecond = checkRate(referenceMibPerSecond);
            return this;
        }

        /** Whether a backup's node holds the data too (see {@link DataLocalityRequest#readFromBackups()}). */
        public Builder readFromBackups(boolean readFromBackups) {
            this.readFromBackups = readFromBackups;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException naming {@code dataBytes} or {@code referenceMibPerSecond} when not set
         */
        public DataLocalityRequest build() {
            if (dataBytes == null)
                throw new IllegalArgumentException("dataBytes: not set (expected: the bytes the job reads from the "
                    + "cache entry or partition, >= 0)");
            if (referenceMibPerSecond == null)
                throw new IllegalArgumentException("referenceMibPerSecond: not set (expected: the MiB/s the job "
                    + "processes on a fabric of speed factor 1, > 0)");
            return new DataLocalityRequest(task.build(), dataBytes, referenceMibPerSecond, readFromBackups);
        }
    }
}
