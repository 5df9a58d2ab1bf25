/**
 * The built-in probes: CPU, NVIDIA (nvidia-smi), FPGAs and PCI devices from sysfs. Implementation, not API.
 * <p>
 * Uses: model and the probe SPI of {@code io.fabricstitch.agent}.
 */
package io.fabricstitch.agent.probe;
