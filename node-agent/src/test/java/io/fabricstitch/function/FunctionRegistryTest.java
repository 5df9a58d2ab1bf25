package io.fabricstitch.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.function.builtin.DeflateFunction;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.function.builtin.Sha256Function;
import io.fabricstitch.model.FabricType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {
    private static final List<String> BUILT_INS = List.of("deflate", "image.gaussian-blur", "matmul.f32", "sha256");
    private static final ClassLoader LOADER = FunctionRegistryTest.class.getClassLoader();

    /** A sha256 for GPUs. */
    public static final class GpuSha256 extends Fixed {
        public GpuSha256() {
            super("sha256", Set.of(FabricType.GPU));
        }
    }

    /** A second CPU sha256. */
    public static final class AnotherSha256 extends Fixed {
        public AnotherSha256() {
            super("sha256", Set.of(FabricType.CPU));
        }
    }

    /** No no-arg constructor. */
    public static final class NeedsArgument extends Fixed {
        public NeedsArgument(String name) {
            super(name, Set.of(FabricType.CPU));
        }
    }

    /** Returns its input. */
    public static class Fixed implements AccelerationFunction {
        private final String name;
        private final Set<FabricType> types;

        Fixed(String name, Set<FabricType> types) {
            this.name = name;
            this.types = types;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<FabricType> fabricTypes() {
            return types;
        }

        @Override
        public byte[] execute(FunctionContext ctx, byte[] input) {
            return input.clone();
        }
    }

    private static String rejection(List<String> classNames) {
        return assertThrows(IllegalArgumentException.class, () -> FunctionRegistry.load(LOADER, classNames))
            .getMessage();
    }

    @Test
    void load_findsTheFourBuiltInsThroughServiceLoader_allOnCpu() {
        FunctionRegistry registry = FunctionRegistry.load(LOADER, List.of());
        assertEquals(BUILT_INS, List.copyOf(registry.names()));
        assertEquals(BUILT_INS, List.copyOf(registry.namesFor(FabricType.CPU)));
        assertEquals(Set.of(), registry.namesFor(FabricType.GPU));
        assertTrue(registry.implementation("matmul.f32", FabricType.CPU, false).orElseThrow()
            instanceof MatmulF32Function);
        for (String name : BUILT_INS)
            assertEquals(Set.of(FabricType.CPU), registry.typesOf(name));
    }

    @Test
    void load_addsNamedClasses_andTakesABuiltInNamedAgainOnce() {
        FunctionRegistry registry = FunctionRegistry.load(LOADER,
            List.of(GpuSha256.class.getName(), " " + Sha256Function.class.getName()));
        assertEquals(BUILT_INS, List.copyOf(registry.names()));
        assertEquals(List.of("sha256"), List.copyOf(registry.namesFor(FabricType.GPU)));
        assertTrue(registry.implementation("sha256", FabricType.GPU, false).orElseThrow() instanceof GpuSha256);
        assertTrue(registry.implementation("sha256", FabricType.CPU, false).orElseThrow() instanceof Sha256Function);
    }

    @Test
    void refusesTwoImplementationsOfOneNameAndType_namingBothClasses() {
        String msg = rejection(List.of(AnotherSha256.class.getName()));
        assertEquals("function 'sha256' for CPU: implemented by both " + Sha256Function.class.getName() + " and "
            + AnotherSha256.class.getName() + " (expected: one implementation per function and fabric type)", msg);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
            () -> FunctionRegistry.of(List.of(new AnotherSha256(), new Sha256Function())));
        assertTrue(direct.getMessage().contains(AnotherSha256.class.getName() + " and "
            + Sha256Function.class.getName()), direct.getMessage());
    }

    @Test
    void refusesBadClassNames_sayingWhy() {
        String expected = " (expected: a public class implementing io.fabricstitch.function.AccelerationFunction"
            + " with a public no-arg constructor)";
        String notFound = rejection(List.of("com.example.NoSuchFunction"));
        assertTrue(notFound.startsWith("functionClasses element: 'com.example.NoSuchFunction' not found (")
            && notFound.endsWith(expected), notFound);
        assertEquals("functionClasses element: 'java.lang.String' not an AccelerationFunction" + expected,
            rejection(List.of("java.lang.String")));
        assertEquals("functionClasses element: '" + NeedsArgument.class.getName() + "' no public no-arg constructor"
            + expected, rejection(List.of(NeedsArgument.class.getName())));
        assertEquals("functionClasses element: '" + AccelerationFunction.class.getName() + "' abstract" + expected,
            rejection(List.of(AccelerationFunction.class.getName())));
        assertEquals("functionClasses element: ''" + expected, rejection(List.of("")));
    }

    @Test
    void refusesAnInvalidNameOrTypeSet_namingTheClass() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
            () -> FunctionRegistry.of(List.of(new Fixed("bad name", Set.of(FabricType.CPU)))));
        assertTrue(name.getMessage().startsWith("function class " + Fixed.class.getName() + ": name: 'bad name'"),
            name.getMessage());
        IllegalArgumentException types = assertThrows(IllegalArgumentException.class,
            () -> FunctionRegistry.of(List.of(new Fixed("echo", Set.of()))));
        assertEquals("function class " + Fixed.class.getName() + ": fabricTypes: [] (expected: one or more of "
            + "[GPU, FPGA, ASIC, CPU])", types.getMessage());
    }

    @Test
    void simulatedFabric_fallsBackToCpu_butPrefersItsOwnType() {
        FunctionRegistry registry = FunctionRegistry.of(List.of(new Sha256Function(), new GpuSha256(),
            new DeflateFunction()));
        assertTrue(registry.implementation("deflate", FabricType.FPGA, true).orElseThrow()
            instanceof DeflateFunction);
        assertEquals(Optional.empty(), registry.implementation("deflate", FabricType.FPGA, false));
        assertTrue(registry.implementation("sha256", FabricType.GPU, true).orElseThrow() instanceof GpuSha256);
        assertEquals(Optional.empty(), registry.implementation("matmul.f32", FabricType.CPU, true));
        assertFalse(registry.contains("matmul.f32"));
        assertTrue(registry.contains("deflate"));
    }

    @Test
    void namesAreSortedAndUnmodifiable() {
        FunctionRegistry registry = FunctionRegistry.of(List.of(new Sha256Function(), new MatmulF32Function(),
            new GaussianBlurFunction(), new DeflateFunction()));
        assertEquals(BUILT_INS, List.copyOf(registry.names()));
        assertThrows(UnsupportedOperationException.class, () -> registry.names().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> registry.namesFor(FabricType.CPU).clear());
        Sha256Function sha = new Sha256Function();
        assertSame(sha, FunctionRegistry.of(List.of(sha)).implementation("sha256", FabricType.CPU, false)
            .orElseThrow());
    }
}
