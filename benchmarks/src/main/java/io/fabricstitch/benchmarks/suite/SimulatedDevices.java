package io.fabricstitch.benchmarks.suite;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The simulated devices of the in-process nodes, by Ignite instance name. The service model is the same whatever
 * routed the task: sleep the device's latency (travel), take one of its slots (first come, first served; a task
 * routed to a full device waits here), sleep {@code work / speed} ms (the device's service time), give the slot back.
 * Sleeping rather than computing keeps the 2 cores of a small machine out of the measurement: the figures are about
 * placement, not about how fast this machine computes.
 */
public final class SimulatedDevices {
    private static final Map<String, Slots> DEVICES = new ConcurrentHashMap<>();

    private SimulatedDevices() {
    }

    /** Installs {@code device} as the device of node {@code instanceName} (replacing any earlier one). */
    public static void install(String instanceName, Device device) {
        DEVICES.put(instanceName, new Slots(device));
    }

    /** Removes every device (between clusters). */
    public static void clear() {
        DEVICES.clear();
    }

    /** Serves {@code work} units on the device of node {@code instanceName}; returns the device's name. */
    public static String serve(String instanceName, double work) throws InterruptedException {
        Slots s = DEVICES.get(instanceName);
        if (s == null)
            throw new IllegalStateException("node " + instanceName + " has no simulated device (expected one of "
                + DEVICES.keySet() + ")");
        return s.serve(work);
    }

    private static final class Slots {
        private final Device device;
        private final Semaphore free;

        Slots(Device device) {
            this.device = device;
            this.free = new Semaphore(device.slots(), true);
        }

        String serve(double work) throws InterruptedException {
            sleepMs(device.latencyMs());
            free.acquire();
            try {
                sleepMs(device.serviceMs(work));
            }
            finally {
                free.release();
            }
            return device.name();
        }
    }

    private static void sleepMs(double ms) throws InterruptedException {
        long nanos = Math.round(ms * 1e6);
        if (nanos > 0)
            TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
