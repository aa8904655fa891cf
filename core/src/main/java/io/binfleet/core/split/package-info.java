/** The built-in splits: {@code energy-windows}, {@code grid} and {@code replicas}, and the classic extend-bin rule. */
package io.binfleet.core.split;
