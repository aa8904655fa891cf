/**
 * binfleet core: the job spec and its validation, the messages and their codec, the built-in splits and
 * merges, seeds, and the plugin SPI. Pure logic: nothing in this module talks to Kafka.
 */
package io.binfleet.core;
