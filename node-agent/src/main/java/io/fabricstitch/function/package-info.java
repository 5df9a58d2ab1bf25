/**
 * The acceleration-function SPI: what a fabric runs.
 * <p>
 * An {@link io.fabricstitch.function.AccelerationFunction} is registered under a name for the fabric types whose
 * hardware it drives; the {@link io.fabricstitch.function.FunctionRegistry} finds implementations through
 * {@link java.util.ServiceLoader} or by class name. Declared (simulated) fabrics run the CPU implementation.
 * <p>
 * Uses: model and internal only.
 */
package io.fabricstitch.function;
