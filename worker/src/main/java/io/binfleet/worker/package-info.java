/** The worker: takes pieces from the share group, runs them and publishes their results. */
package io.binfleet.worker;
