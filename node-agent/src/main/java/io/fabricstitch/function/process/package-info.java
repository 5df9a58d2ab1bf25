/**
 * Process functions: acceleration functions that run an external program (an {@code ffmpeg} build with NVENC, a
 * PyTorch script, a vendor's FPGA host program) bound to the fabric's device by its environment.
 * <p>
 * A {@link io.fabricstitch.function.process.ProcessFunction} is the configuration bean (the plugin's
 * {@code processFunctions}); {@link io.fabricstitch.function.process.ProcessFunction#toFunction()} turns it into a
 * {@link io.fabricstitch.function.StreamingFunction} whose every call starts the program once in a fresh temporary
 * directory, passes the input and takes the output as files or through stdin and stdout, and kills the program's
 * whole process tree on timeout or cancellation. Everything else in this package is implementation.
 * <p>
 * Uses: function, model and internal.
 */
package io.fabricstitch.function.process;
