/** What every Kafka-facing service shares: topic names, serdes, client configuration, the embedded broker. */
package io.binfleet.kafka;
