/** The producer: validates a job spec, splits it and publishes its tasks and SUBMITTED event in one transaction. */
package io.binfleet.producer;
