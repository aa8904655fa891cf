package io.binfleet.bench;

import io.binfleet.app.LocalFleet;
import io.binfleet.core.message.JobEvent;
import io.binfleet.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Latency on a warm fleet: an embedded broker, a reducer and 2 worker threads in this JVM; after a warm-up, JOBS jobs
 * of PIECES trivial pieces (8) are submitted one after another and each timed from submit to its DONE event (published
 * in the same transaction as its merged result). Prints the median and p95 and where the time goes. Usage:
 * {@code WarmLatency [JOBS [PIECES [WARM_UP_JOBS]]]}.
 */
public final class WarmLatency {
    private WarmLatency() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int pieces = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String spec =
                "{\"name\": \"latency\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": " + pieces
                        + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0}, \"merge\": {\"method\": \"mean\"}}";
        try (LocalFleet fleet = LocalFleet.builder()
                .workers(1, 2)
                .workerId("bench")
                .stallTimeout(Duration.ofMinutes(5))
                .start()) {
            KafkaSettings settings = fleet.settings();
            {
                for (int i = 0; i < warmUp; i++) {
                    time(fleet, spec);
                }
                double[] ms = new double[jobs];
                for (int i = 0; i < jobs; i++) {
                    ms[i] = time(fleet, spec);
                }
                stages(settings, jobs);
                Arrays.sort(ms);
                System.out.printf(
                        "warm latency, submit -> merged result, %d trivial pieces, %d jobs: median %.0f ms, p95 %.0f ms, "
                                + "min %.0f ms, max %.0f ms%n",
                        pieces, jobs, ms[jobs / 2], ms[(int) Math.ceil(0.95 * jobs) - 1], ms[0], ms[jobs - 1]);
            }
        }
    }

    /**
     * Where the time goes, from the records' own timestamps (one clock, one machine): tasks published → first
     * piece result → last piece result → merged result. Medians over the last {@code jobs} jobs.
     */
    private static void stages(KafkaSettings settings, int jobs) {
        Properties p = settings.client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, long[]> t = new HashMap<>(); // job -> {tasks, first piece, last piece, result}
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : List.of(
                    settings.topics().tasks(),
                    settings.topics().pieces(),
                    settings.topics().results())) {
                c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    long[] s = t.computeIfAbsent(r.key(), k -> new long[] {Long.MAX_VALUE, Long.MAX_VALUE, 0, 0});
                    if (r.topic().equals(settings.topics().tasks())) {
                        s[0] = Math.min(s[0], r.timestamp());
                    } else if (r.topic().equals(settings.topics().pieces())) {
                        s[1] = Math.min(s[1], r.timestamp());
                        s[2] = Math.max(s[2], r.timestamp());
                    } else {
                        s[3] = r.timestamp();
                    }
                }
            }
        }
        List<long[]> done = t.values().stream()
                .filter(s -> s[3] > 0)
                .sorted(Comparator.comparingLong(s -> s[0]))
                .toList();
        done = done.subList(Math.max(0, done.size() - jobs), done.size());
        System.out.printf(
                "stages (median ms): tasks -> first piece result %.0f, first -> last piece result %.0f, "
                        + "last piece -> merged result %.0f%n",
                median(done, 1, 0), median(done, 2, 1), median(done, 3, 2));
    }

    private static double median(List<long[]> rows, int to, int from) {
        double[] d = rows.stream().mapToDouble(s -> s[to] - s[from]).sorted().toArray();
        return d.length == 0 ? Double.NaN : d[d.length / 2];
    }

    private static double time(LocalFleet fleet, String spec) throws InterruptedException {
        long start = System.nanoTime();
        String id = fleet.submit(spec);
        // a fleet's first job of 20,000 pieces can take a minute in a cold JVM with the full compiler
        JobEvent end = fleet.awaitEnd(id, Duration.ofMinutes(10))
                .orElseThrow(() -> new IllegalStateException(id + " did not end within 10 min"));
        if (System.nanoTime() - start > 1_000_000_000L) {
            System.err.printf("slow job %s: %.0f ms%n", id, (System.nanoTime() - start) / 1e6);
        }
        if (end.state() != JobEvent.State.DONE) {
            throw new IllegalStateException(id + " ended " + end.state() + ": " + end.reason());
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
