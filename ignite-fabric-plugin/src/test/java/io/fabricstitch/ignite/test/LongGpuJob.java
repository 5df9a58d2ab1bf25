package io.fabricstitch.ignite.test;

import io.fabricstitch.ignite.compute.FabricJob;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.time.Duration;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * A GPU job for failover tests and benchmarks: long on one named node (it runs until that node is killed), quick
 * anywhere else. It marks where it started in {@link #MARKS} ({@code <key>@<node>}), and answers
 * {@code answer to <key>} wherever it completes.
 */
public final class LongGpuJob implements IgniteCallable<String>, FabricJob {
    private static final long serialVersionUID = 1L;

    /** The replicated cache of start marks. */
    public static final String MARKS = "long-job-marks";

    private final String key;
    private final String slowNode;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public LongGpuJob(String key, String slowNode) {
        this.key = key;
        this.slowNode = slowNode;
    }

    /** Creates the marks cache (FULL_SYNC: a mark is visible everywhere once the job goes on). */
    public static void createMarks(Ignite ignite) {
        ignite.getOrCreateCache(new CacheConfiguration<String, String>(MARKS).setCacheMode(CacheMode.REPLICATED)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC));
    }

    /** Whether the job with {@code key} started on {@code node}. */
    public static boolean startedOn(Ignite ignite, String key, String node) {
        return ignite.cache(MARKS).containsKey(key + "@" + node);
    }

    /** What the job needs: 100 MiB of a GPU, latency first. */
    public static TaskRequest gpuRequest() {
        return TaskRequest.builder("sha256").require(FabricType.GPU, 100).priority("latency-critical")
            .timeout(Duration.ofSeconds(120)).build();
    }

    @Override
    public TaskRequest fabricRequest() {
        return gpuRequest();
    }

    @Override
    public String call() throws InterruptedException {
        IgniteCache<String, String> marks = ignite.cache(MARKS);
        marks.put(key + "@" + ignite.name(), "started");
        if (ignite.name().equals(slowNode)) {
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < end)
                Thread.sleep(5); // stands for the work: this node is killed long before
        }
        return "answer to " + key;
    }
}
