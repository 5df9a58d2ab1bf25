/**
 * Data-locality-aware routing of closures over partitioned Ignite caches: a job over a key's or a partition's data
 * runs on the data's primary node, where nothing moves, or on an accelerated node elsewhere, when moving the data there
 * and computing fast costs less than computing it in place.
 *
 * <h2>The cost with its transfer term</h2>
 * {@link io.fabricstitch.affinity.DataLocalityRouter} weighs every fitting fabric by the plugin's cost function, with
 * the whole time the job waits for its result as the latency:
 * <pre>
 * Cost = LatencyWeight x (networkMs + transferMs + computeMs) + ResourceWeight x ResourceCost
 * </pre>
 * <table>
 *     <caption>Terms and units</caption>
 *     <tr><th>term</th><th>unit</th><th>what</th></tr>
 *     <tr><td>{@code networkMs}</td><td>ms</td><td>round trip from the job's origin (the caller) to the fabric's node,
 *     as measured in {@code FABRIC.FABRIC_LATENCY} (0 when not measured), plus the fabric's own {@code LATENCY_MS}:
 *     exactly the plugin's {@code NetworkLatency}</td></tr>
 *     <tr><td>{@code transferMs}</td><td>ms</td><td>0 on the data's primary node (and on a backup's node when the job
 *     reads from backups); elsewhere the round trip from the primary to the node (0 when not measured) plus
 *     {@code dataBytes / bandwidth}, the bandwidth being the data path's measured throughput between the two nodes or,
 *     until measured, the router's assumed one (default 100 MiB/s)</td></tr>
 *     <tr><td>{@code computeMs}</td><td>ms</td><td>{@code dataBytes / (referenceMibPerSecond x speedFactor)}: the
 *     job's rate on a fabric of speed factor 1 (the host CPU), scaled by the fabric's speed factor</td></tr>
 *     <tr><td>{@code ResourceCost}</td><td>0..price</td><td>the fabric's utilization once the job is placed,
 *     {@code (count - free + amount) / count}, times the price of its type
 *     ({@code orchestrator.fabricPrices})</td></tr>
 *     <tr><td>{@code LatencyWeight}</td><td>points per ms</td><td>from the request's priority class or
 *     weights</td></tr>
 *     <tr><td>{@code ResourceWeight}</td><td>points</td><td>for leaving a fabric fully used at price 1.0</td></tr>
 * </table>
 * Sizes are MiB (2<sup>20</sup> bytes), rates MiB/s. The least cost wins; equal costs go to the primary's node, then
 * to the lowest fabric id. Candidates pass the plugin's filters: they run the function, have an accepted type, are
 * ONLINE (DEGRADED only where allowed and when nothing ONLINE fits) and have the amount free.
 *
 * <h2>An example</h2>
 * A job reads 1 MiB at 10 MiB/s on a CPU ({@code referenceMibPerSecond = 10}), priority {@code latency-critical}
 * (1 point per ms, 0.5 per full fabric). The data's primary node has only its CPU; another node has a GPU of speed
 * factor 8 and {@code LATENCY_MS} 5, the link between them is not measured (100 MiB/s assumed):
 * <pre>
 * primary CPU: 0 + 0 + 1 MiB / 10 MiB/s                          = 100 ms   -> cost 100 + resource
 * other GPU:   5 + 1 MiB / 100 MiB/s (10 ms) + 1 MiB / 80 MiB/s  =  27.5 ms -> cost 27.5 + resource: the GPU
 * </pre>
 * With 16 KiB instead, the CPU needs 1.56 ms and the GPU 5.35 ms (its fixed 5 ms dominate): the job stays. With a GPU
 * of speed factor 0.5, or a measured link of 1 MiB/s, the 1 MiB job stays too.
 *
 * <h2>The parts</h2>
 * <ul>
 *     <li>{@link io.fabricstitch.affinity.DataLocalityRequest}: the job's fabric needs, data size and compute
 *     rate;</li>
 *     <li>{@link io.fabricstitch.affinity.DataLocalityRouter}: the decision,
 *     {@link io.fabricstitch.affinity.LocalityDecision} with every candidate's terms;</li>
 *     <li>{@link io.fabricstitch.affinity.AffinityCompute}: decides and runs a closure on the chosen fabric, reserved
 *     through {@code FabricCompute};</li>
 *     <li>{@link io.fabricstitch.affinity.AcceleratedNodeFilter} (cache node filter) and
 *     {@link io.fabricstitch.affinity.AcceleratedBackupFilter} (affinity backup filter): keep chosen caches' data, or
 *     their backups, on accelerated nodes.</li>
 * </ul>
 * <p>
 * Uses: the plugin's API (io.fabricstitch.ignite, ignite.compute), the placement engine's entry points, model and
 * internal.
 */
package io.fabricstitch.affinity;
