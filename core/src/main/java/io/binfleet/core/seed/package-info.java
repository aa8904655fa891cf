/** Per-piece seeds (OS entropy or derived from {@code simulation.seed}) and the random generators built from them. */
package io.binfleet.core.seed;
