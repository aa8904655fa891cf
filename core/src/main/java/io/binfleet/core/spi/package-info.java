/**
 * The plugin SPI: systems, splits, simulations and merges. Each kind has a {@code *Type} interface, found
 * through {@link java.util.ServiceLoader} by its registered name, that validates its part of a job spec and
 * returns a configured, immutable value ({@link io.binfleet.core.spi.SystemModel},
 * {@link io.binfleet.core.spi.Split}, {@link io.binfleet.core.spi.Simulation},
 * {@link io.binfleet.core.spi.Merge}). Every configured value gives back its parameters with
 * {@code params()}, so spec → value → params → value is the identity.
 *
 * <p>Lifecycle and threading: a {@code *Type} is created once per {@link io.binfleet.core.spi.Registry} and
 * must be stateless and thread-safe. Configured values are immutable and may be shared across threads; a
 * {@link io.binfleet.core.spi.Simulation#run} call is confined to the thread that makes it.
 */
package io.binfleet.core.spi;
