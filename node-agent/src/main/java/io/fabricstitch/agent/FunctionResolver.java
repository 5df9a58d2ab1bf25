package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides which implementation serves each function on a device:
 * <ol>
 *     <li>a declared (simulated) fabric runs the registry's implementation for its type, else the CPU one, in Java;</li>
 *     <li>a real device with an OpenCL driver runs the OpenCL kernel of the function where one built for it;</li>
 *     <li>else the registry's implementation for exactly its type: Java code or a process function. Java code for the
 *     CPU type runs on the host CPU fabric only: an OpenCL CPU device's cores are set aside for its kernels.</li>
 * </ol>
 * A fabric runs the functions it lists (each must resolve, or the node does not start), else those configured for
 * its type, else every function that resolves on it (a declared fabric: those implemented for exactly its type).
 */
final class FunctionResolver {
    private final AgentConfiguration cfg;

    FunctionResolver(AgentConfiguration cfg) {
        this.cfg = cfg;
    }

    /**
     * The implementation of {@code function} on {@code d}.
     *
     * @param hostCpu whether {@code d} is the node's CPU fabric
     * @param openCl the OpenCL functions built for {@code d}'s device, by name (empty without one)
     */
    Optional<AccelerationFunction> resolve(String function, DetectedFabric d, boolean hostCpu,
        Map<String, AccelerationFunction> openCl) {
        FunctionRegistry registry = cfg.functionRegistry();
        if (d.simulated())
            return registry.implementation(function, d.fabricType(), true);
        AccelerationFunction kernel = openCl.get(function);
        if (kernel != null)
            return Optional.of(kernel);
        Optional<AccelerationFunction> f = registry.implementation(function, d.fabricType(), false);
        if (f.isPresent() && f.get().runtime() == FabricRuntime.JAVA && d.fabricType() == FabricType.CPU && !hostCpu)
            return Optional.empty();
        return f;
    }

    /**
     * The functions {@code d} runs, with their implementations, by name.
     *
     * @throws IllegalArgumentException when {@code d} lists a function that does not resolve on it, naming both
     */
    SortedMap<String, AccelerationFunction> functionsOf(DetectedFabric d, boolean hostCpu,
        Map<String, AccelerationFunction> openCl) {
        SortedMap<String, AccelerationFunction> out = new TreeMap<>();
        if (!d.supportedFunctions().isEmpty()) {
            for (String fn : d.supportedFunctions())
                out.put(fn, resolve(fn, d, hostCpu, openCl).orElseThrow(() -> unresolved(fn, d)));
            return out;
        }
        Set<String> names = new TreeSet<>(cfg.defaultFunctions(d.fabricType()));
        if (names.isEmpty()) {
            names.addAll(d.simulated() ? cfg.functionRegistry().namesFor(d.fabricType())
                : cfg.functionRegistry().names());
            names.addAll(openCl.keySet());
        }
        for (String fn : names)
            resolve(fn, d, hostCpu, openCl).ifPresent(impl -> out.put(fn, impl));
        return out;
    }

    private IllegalArgumentException unresolved(String fn, DetectedFabric d) {
        FunctionRegistry registry = cfg.functionRegistry();
        String what = d.deviceKey().startsWith(FabricAgent.DECLARED_PREFIX)
            ? "declared fabric '" + d.deviceKey().substring(FabricAgent.DECLARED_PREFIX.length()) + '\''
            : "fabric " + d.deviceKey() + " (" + d.model() + ')';
        if (!registry.contains(fn))
            return new IllegalArgumentException(what + ": functions element '" + fn + "' is not a registered "
                + "function (registered: " + list(registry.names()) + ')');
        return new IllegalArgumentException(what + ": functions element '" + fn + "' has no implementation for "
            + d.fabricType() + (d.simulated() ? " or CPU" : "") + " (implemented for: " + list(registry.typesOf(fn))
            + ')');
    }

    static String list(Set<?> values) {
        return values.isEmpty() ? "none" : values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
