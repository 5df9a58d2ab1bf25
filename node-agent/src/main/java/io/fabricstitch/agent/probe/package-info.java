/**
 * The probe SPI (FabricProbe, DetectedFabric, ProbeResult, ProbeUnavailableException: public, for custom probes) and
 * the built-in probes: CPU, NVIDIA (nvidia-smi), FPGAs and PCI devices from sysfs (implementation, not API).
 * <p>
 * Uses: model and io.fabricstitch.internal.
 */
package io.fabricstitch.agent.probe;
