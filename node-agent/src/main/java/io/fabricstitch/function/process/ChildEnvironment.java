package io.fabricstitch.function.process;

import io.fabricstitch.model.DeviceBinding;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a process function's program runs with: the node's environment less every variable that selects a
 * device, then the function's own variables, then the call's {@link DeviceBinding#environment()}.
 */
final class ChildEnvironment {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ChildEnvironment() {
    }

    /** Whether the device binding owns {@code key}: a selection variable or a {@code FABRIC_} one. */
    static boolean bindingOwns(String key) {
        return DeviceBinding.SELECTION_VARIABLES.contains(key) || key.startsWith(DeviceBinding.FABRIC_PREFIX);
    }

    /**
     * Checks a function's own variables.
     *
     * @throws IllegalArgumentException naming a key that is not a variable name, is owned by the device binding, or
     *     has no value
     */
    static Map<String, String> checked(Map<String, String> variables) {
        Map<String, String> out = new LinkedHashMap<>();
        if (variables == null)
            return out;
        variables.forEach((k, v) -> {
            if (k == null || !VARIABLE.matcher(k).matches())
                throw new IllegalArgumentException("environment: key '" + k + "' (expected: a variable name of "
                    + "letters, digits and '_', not starting with a digit)");
            if (bindingOwns(k))
                throw new IllegalArgumentException("environment: key '" + k + "' (expected: none of "
                    + DeviceBinding.SELECTION_VARIABLES.stream().sorted().toList() + " nor starting with "
                    + DeviceBinding.FABRIC_PREFIX + ": the call's device binding sets those)");
            if (v == null)
                throw new IllegalArgumentException("environment: key '" + k + "' has no value (expected: a string)");
            out.put(k, v);
        });
        return out;
    }

    /** {@code base} less the variables the binding owns, plus the function's {@code own} (already checked). */
    static Map<String, String> fixed(Map<String, String> base, Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>();
        base.forEach((k, v) -> {
            if (k != null && v != null && !bindingOwns(k))
                out.put(k, v);
        });
        out.putAll(own);
        return Collections.unmodifiableMap(out);
    }

    /** The variables of one call: {@code fixed} plus the device's, the device's winning. */
    static Map<String, String> forCall(Map<String, String> fixed, DeviceBinding device) {
        Map<String, String> out = new LinkedHashMap<>(fixed);
        out.putAll(device.environment());
        return out;
    }
}
