/**
 * The API examples run by the launcher, one class each: partitioned blur, priorities, failover, compute SPI, SQL over
 * JDBC.
 * <p>
 * Uses: the API packages only (ApiOnlyExamplesTest), and the launcher's printers in io.fabricstitch.examples (a cycle
 * listed in PackageCyclesTest).
 */
package io.fabricstitch.examples.api;
