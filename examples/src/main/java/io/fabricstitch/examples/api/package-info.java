/**
 * The API examples run by the launcher, one class each: partitioned blur, priorities, failover, compute SPI, SQL over
 * JDBC, with the printers, the demo image and the tiled blur they share with the launcher.
 * <p>
 * Uses: the API packages only (ApiOnlyExamplesTest); never the launcher, which uses this package.
 */
package io.fabricstitch.examples.api;
