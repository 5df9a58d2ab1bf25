/**
 * An application outside the project's packages that sends its own closure: built against the API alone.
 * <p>
 * Uses: io.fabricstitch.ignite.compute and io.fabricstitch.model only.
 */
package com.example.digest;
