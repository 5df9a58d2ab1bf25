/**
 * OpenCL devices through JOCL: the OpenCL probe, the runtime and the OpenCL implementations of built-in and user
 * kernels. Implementation, not API.
 * <p>
 * Uses: model, function, function.builtin, internal, agent.probe and the probe SPI of {@code io.fabricstitch.agent}.
 */
package io.fabricstitch.agent.opencl;
