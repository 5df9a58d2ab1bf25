/**
 * The demo launcher (bin/fabric), its commands and the demo cluster: an application of the API.
 * <p>
 * Uses: the API packages (io.fabricstitch.ignite, ignite.compute, model; ApiOnlyExamplesTest), examples.api, and the
 * agent's probes in device-check only.
 */
package io.fabricstitch.examples;
