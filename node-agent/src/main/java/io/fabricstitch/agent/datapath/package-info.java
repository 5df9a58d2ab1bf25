/**
 * The agent's data path: large task inputs and outputs move between a caller and a fabric's agent over TCP, plain
 * ({@code DIRECT}) or TLS 1.3 with mutual authentication, streamed in checksummed frames with backpressure, so that
 * memory stays bounded whatever the size. The caller decides what is large; small inputs ride inside the jobs.
 * <p>
 * Every transfer presents a short-lived {@link io.fabricstitch.agent.datapath.TransferToken} (a
 * {@link io.fabricstitch.agent.datapath.TransferGrant} signed with the cluster's
 * {@link io.fabricstitch.agent.datapath.TransferKey}); the server stages or serves nothing without a valid one, caps
 * staged bytes and connections ({@link io.fabricstitch.agent.datapath.DataPathBudget}) and drops slow peers.
 * <p>
 * API: {@link io.fabricstitch.agent.datapath.DataPathServer} (the agent's side: stages uploads on disk and serves
 * staged outputs), {@link io.fabricstitch.agent.datapath.DataPathClient} (the caller's side),
 * {@link io.fabricstitch.agent.datapath.FabricDataPathConfiguration} (the {@code dataPath} part of the plugin's
 * configuration tree, which DataPathConfiguration holds as it is),
 * {@link io.fabricstitch.agent.datapath.DataPathConfiguration}, {@link io.fabricstitch.agent.datapath.TlsMaterial},
 * the token types and the immutable values they hand out; every failure is a
 * {@link io.fabricstitch.agent.datapath.DataPathException} with its
 * {@link io.fabricstitch.agent.datapath.DataPathException.Failure kind}. The package-private classes (the pipeline,
 * its codec, the transfer handlers and the staging area) are not API. Like the rest of the agent, this package knows
 * nothing of Ignite.
 * <p>
 * Uses: {@code io.fabricstitch.internal} only.
 */
package io.fabricstitch.agent.datapath;
