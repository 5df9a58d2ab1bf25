/**
 * The agent's data path: large task inputs and outputs move between a caller and a fabric's agent over TCP, plain
 * ({@code DIRECT}) or TLS 1.3 with mutual authentication, streamed in checksummed frames with backpressure, so that
 * memory stays bounded whatever the size. The caller decides what is large; small inputs ride inside the jobs.
 * <p>
 * API: {@link io.fabricstitch.agent.datapath.DataPathServer} (the agent's side: stages uploads on disk and serves
 * staged outputs), {@link io.fabricstitch.agent.datapath.DataPathClient} (the caller's side),
 * {@link io.fabricstitch.agent.datapath.DataPathConfiguration}, {@link io.fabricstitch.agent.datapath.TlsMaterial}
 * and the immutable values they hand out; every failure is a
 * {@link io.fabricstitch.agent.datapath.DataPathException} with its
 * {@link io.fabricstitch.agent.datapath.DataPathException.Failure kind}. The package-private classes (the pipeline,
 * its codec, the transfer handlers and the staging area) are not API. Like the rest of the agent, this package knows
 * nothing of Ignite.
 */
package io.fabricstitch.agent.datapath;
