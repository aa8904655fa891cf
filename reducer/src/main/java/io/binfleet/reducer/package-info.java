/** The reducer: a Kafka Streams application that collects every piece of a job and merges them. */
package io.binfleet.reducer;
