package io.fabricstitch.benchmarks.suite;

import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/** A task's job: serves its work on the simulated device of the node it runs on; returns the device's name. */
public final class DeviceJob implements IgniteCallable<String> {
    private static final long serialVersionUID = 1L;

    private final double work;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public DeviceJob(double work) {
        this.work = work;
    }

    @Override
    public String call() throws InterruptedException {
        return SimulatedDevices.serve(ignite.name(), work);
    }
}
