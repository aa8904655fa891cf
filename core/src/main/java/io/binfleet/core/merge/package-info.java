/**
 * The built-in merges, pure functions from pieces to a {@link io.binfleet.core.spi.Series}: {@code join},
 * {@code sum}, {@code mean}, {@code align} and {@code none}. Pieces may come in any order: every merge first
 * puts them in index order, so the result does not depend on arrival order.
 */
package io.binfleet.core.merge;
