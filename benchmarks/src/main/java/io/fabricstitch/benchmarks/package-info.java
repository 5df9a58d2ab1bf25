/**
 * JMH and end-to-end benchmarks; results go to BENCHMARKS.md with the command that produced them. This module holds
 * no benchmark yet: the first ones (selection time) arrive with cost-based routing.
 */
package io.fabricstitch.benchmarks;
