package io.fabricstitch.internal;

/** Amounts of a fabric's resource as a sentence says them: {@code 1 unit}, {@code 2 units}, {@code 1 MiB}. */
public final class Units {
    private Units() {
    }

    /**
     * {@code unit} as it reads after {@code amount}: a counted noun in the plural ({@code units}, {@code cores},
     * {@code slots}) loses its {@code s} for one; symbols ({@code MiB}, {@code GB}, {@code ms}) stay as they are.
     */
    public static String of(long amount, String unit) {
        if (amount != 1 || unit == null || unit.length() < 3 || !unit.endsWith("s") || unit.endsWith("ss"))
            return unit;
        for (int i = 0; i < unit.length() - 1; i++) {
            if (!Character.isLowerCase(unit.charAt(i)))
                return unit; // a symbol or a name, not a plural noun
        }
        return unit.substring(0, unit.length() - 1);
    }
}
