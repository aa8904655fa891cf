/** The built-in systems and simulations, registered through {@link java.util.ServiceLoader}. */
package io.binfleet.simulations;
