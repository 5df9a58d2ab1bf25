package io.fabricstitch.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kind of accelerator a fabric is. The host CPU is the fallback every node offers. */
public enum FabricType {
    /** A graphics processor used for compute (NVIDIA, AMD, Intel). */
    GPU,
    /** A field-programmable gate array card or region (Xilinx/AMD, Intel/Altera). */
    FPGA,
    /** A fixed-function or processing accelerator (PCI class 0x12). */
    ASIC,
    /** The host CPU. */
    CPU;

    /**
     * Parses a type name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static FabricType parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (FabricType t : values()) {
                if (t.name().equals(n))
                    return t;
            }
        }
        throw new IllegalArgumentException("fabricType: '" + name + "' (expected one of: " + acceptedNames() + ")");
    }

    static String acceptedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
