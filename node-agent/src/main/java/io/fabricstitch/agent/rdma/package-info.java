/**
 * RDMA transports for the data path (the verbs seam and its test double). Implementation, not API.
 * <p>
 * Uses: {@code io.fabricstitch.agent.datapath} only.
 */
package io.fabricstitch.agent.rdma;
