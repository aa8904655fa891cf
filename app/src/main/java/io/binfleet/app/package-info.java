/** The {@code binfleet} command. */
package io.binfleet.app;
