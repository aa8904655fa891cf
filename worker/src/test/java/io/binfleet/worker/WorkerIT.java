package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.KafkaFixture;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers on a real (embedded) broker take every piece of a job from the share group and publish its result. */
class WorkerIT {
    private static KafkaFixture kafka;
    private static KafkaSettings settings;

    @BeforeAll
    static void start() {
        kafka = KafkaFixture.start();
        settings = kafka.settings();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoWorkers_runEveryPieceOfASixteenPieceJob_once() {
        String spec = "{\"name\": \"syn16\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.3, \"seed\": 1}}";
        List<PieceResult> results;
        try (Worker a = new Worker(settings, new Worker.Config("a", 1, 5, Duration.ofSeconds(10)), SpecParser.builtin());
             Worker b = new Worker(settings, new Worker.Config("b", 1, 5, Duration.ofSeconds(10)), SpecParser.builtin())) {
            a.start();
            b.start();
            String jobId;
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(spec.getBytes(StandardCharsets.UTF_8)).jobId();
            }
            results = kafka.read(settings.topics().pieces(), KafkaFixture.key(jobId), 16, Duration.ofSeconds(60),
                    Duration.ofSeconds(1)).stream().map(r -> Codec.read(r.value(), PieceResult.class)).toList();
        }
        assertThat(results).extracting(PieceResult::piece)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 16).boxed().toList());
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(PieceResult.Outcome.OK));
        assertThat(results).extracting(PieceResult::worker).contains("a-0", "b-0");
    }
}
