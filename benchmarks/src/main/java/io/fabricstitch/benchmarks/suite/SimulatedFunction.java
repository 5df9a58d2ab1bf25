package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricType;
import java.util.Set;

/**
 * The placement workload's functions, registered (through the plugin's {@code agent.functionClasses}) only so that the
 * declared fabrics (GPUs and an FPGA) may name them. They claim GPU and FPGA hardware only, and the benchmark's nodes
 * run no hardware probe but the CPU's, so no probed fabric (the nodes' CPUs) runs them; the benchmark runs
 * {@link DeviceJob} closures on the chosen fabric and never calls {@link #execute}.
 */
public abstract class SimulatedFunction implements AccelerationFunction {
    private final String name;

    protected SimulatedFunction(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return Set.of(FabricType.GPU, FabricType.FPGA);
    }

    @Override
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        throw new FunctionException(name + " is simulated for placement benchmarks (expected: a DeviceJob closure)");
    }

    @Override
    public String description() {
        return "simulated workload function of the placement benchmark";
    }

    /** {@value PlacementWorkload#INFER}. */
    public static final class Infer extends SimulatedFunction {
        public Infer() {
            super(PlacementWorkload.INFER);
        }
    }

    /** {@value PlacementWorkload#ENCODE}. */
    public static final class Encode extends SimulatedFunction {
        public Encode() {
            super(PlacementWorkload.ENCODE);
        }
    }

    /** {@value PlacementWorkload#FILTER}. */
    public static final class Filter extends SimulatedFunction {
        public Filter() {
            super(PlacementWorkload.FILTER);
        }
    }

    /** Class names for {@code FabricPluginConfiguration.setFunctionClasses}. */
    public static java.util.List<String> classNames() {
        return java.util.List.of(Infer.class.getName(), Encode.class.getName(), Filter.class.getName());
    }
}
