/**
 * The Fabric Map at scale (issue 19): clusters of 8 servers with hundreds to thousands of declared fabrics each,
 * their start-up, idle map writes and CPU, SQL over the map and placement throughput.
 * <p>
 * Uses: the plugin's API, schema and test fixtures, agent, model, the benchmarks' shared figures and tables, and the
 * throughput benchmark's load.
 */
package io.fabricstitch.benchmarks.map;
