package io.fabricstitch.function;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The acceleration functions a node can run, by name and fabric type. Immutable and thread-safe.
 * <p>
 * Each (name, type) pair has at most one implementation. A simulated (declared) fabric with no implementation for
 * its own type runs the CPU implementation.
 */
public final class FunctionRegistry {
    private final Map<String, Map<FabricType, AccelerationFunction>> byName;
    private final SortedSet<String> names;

    private FunctionRegistry(Map<String, Map<FabricType, AccelerationFunction>> byName) {
        this.byName = byName;
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
    }

    /**
     * Every {@link AccelerationFunction} {@link ServiceLoader} finds through {@code loader}, plus an instance of each
     * named class (public, with a public no-arg constructor). A class both found and named is taken once.
     *
     * @throws IllegalArgumentException naming a class that is not found, not an {@link AccelerationFunction}, or
     *     cannot be instantiated; or a (name, type) implemented twice, naming both classes
     */
    public static FunctionRegistry load(ClassLoader loader, Collection<String> extraClassNames) {
        Checks.notNull(loader, "loader");
        Map<String, AccelerationFunction> byClass = new LinkedHashMap<>();
        try {
            for (AccelerationFunction f : ServiceLoader.load(AccelerationFunction.class, loader))
                byClass.putIfAbsent(f.getClass().getName(), f);
        }
        catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("META-INF/services/" + AccelerationFunction.class.getName() + ": "
                + e.getMessage() + " (expected: public classes implementing it, with public no-arg constructors)", e);
        }
        if (extraClassNames != null) {
            for (String name : extraClassNames) {
                String cls = name == null ? null : name.trim();
                if (!byClass.containsKey(cls))
                    byClass.put(cls, FunctionClasses.instantiate(loader, cls));
            }
        }
        return of(byClass.values());
    }

    /**
     * A registry of exactly these functions.
     *
     * @throws IllegalArgumentException for an invalid name or type set, or a (name, type) implemented twice,
     *     naming both classes
     */
    public static FunctionRegistry of(Collection<? extends AccelerationFunction> functions) {
        Map<String, Map<FabricType, AccelerationFunction>> byName = new TreeMap<>();
        for (AccelerationFunction f : Checks.notNull(functions, "functions")) {
            Checks.notNull(f, "functions element");
            String cls = f.getClass().getName();
            String name = checked(() -> Checks.name(f.name(), "name"), cls);
            Set<FabricType> types = checked(() -> Checks.notNull(f.fabricTypes(), "fabricTypes"), cls);
            if (types.isEmpty() || types.stream().anyMatch(Objects::isNull))
                throw new IllegalArgumentException("function class " + cls + ": fabricTypes: " + types
                    + " (expected: one or more of " + List.of(FabricType.values()) + ')');
            Map<FabricType, AccelerationFunction> impls = byName.computeIfAbsent(name,
                n -> new EnumMap<>(FabricType.class));
            for (FabricType t : types) {
                AccelerationFunction earlier = impls.putIfAbsent(t, f);
                if (earlier != null)
                    throw new IllegalArgumentException("function '" + name + "' for " + t + ": implemented by both "
                        + earlier.getClass().getName() + " and " + cls
                        + " (expected: one implementation per function and fabric type)");
            }
        }
        Map<String, Map<FabricType, AccelerationFunction>> frozen = new TreeMap<>();
        byName.forEach((n, impls) -> frozen.put(n, Collections.unmodifiableMap(new EnumMap<>(impls))));
        return new FunctionRegistry(Collections.unmodifiableMap(frozen));
    }

    private static <T> T checked(Supplier<T> check, String cls) {
        try {
            return check.get();
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("function class " + cls + ": " + e.getMessage(), e);
        }
    }

    /**
     * The implementation that runs {@code name} on a fabric of {@code type}: the one for that type, else, on a
     * simulated (declared) fabric, the CPU one.
     */
    public Optional<AccelerationFunction> implementation(String name, FabricType type, boolean simulated) {
        Map<FabricType, AccelerationFunction> impls = byName.get(name);
        if (impls == null || type == null)
            return Optional.empty();
        AccelerationFunction f = impls.get(type);
        if (f == null && simulated)
            f = impls.get(FabricType.CPU);
        return Optional.ofNullable(f);
    }

    /** Every implementation, each once, in name order. */
    public List<AccelerationFunction> functions() {
        java.util.Set<AccelerationFunction> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<AccelerationFunction> out = new ArrayList<>();
        byName.values().forEach(impls -> impls.values().forEach(f -> {
            if (seen.add(f))
                out.add(f);
        }));
        return out;
    }

    /** Every registered function name, sorted. */
    public Set<String> names() {
        return names;
    }

    /** Names with an implementation for exactly {@code type}, sorted. */
    public Set<String> namesFor(FabricType type) {
        SortedSet<String> out = new TreeSet<>();
        byName.forEach((n, impls) -> {
            if (impls.containsKey(type))
                out.add(n);
        });
        return Collections.unmodifiableSortedSet(out);
    }

    /** Fabric types {@code name} has an implementation for; empty when it is not registered. */
    public Set<FabricType> typesOf(String name) {
        Map<FabricType, AccelerationFunction> impls = byName.get(name);
        return impls == null ? Set.of() : Collections.unmodifiableSet(impls.keySet());
    }

    /** Whether some implementation is registered under {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        byName.forEach((n, impls) -> parts.add(n + impls.keySet()));
        return "FunctionRegistry " + parts;
    }
}
