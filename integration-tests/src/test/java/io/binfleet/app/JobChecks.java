package io.binfleet.app;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spi.Series;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of a finished job that the fault tests share. */
final class JobChecks {
    private JobChecks() {}

    /** The job's result, which must have been published exactly once. */
    static JobResult onlyResult(KafkaSettings settings, String jobId) {
        List<JobResult> results = ResultReader.scan(settings, settings.topics().results(), jobId).stream()
                .map(v -> Codec.read(v, JobResult.class))
                .toList();
        assertThat(results).as("results published for " + jobId).hasSize(1);
        return results.get(0);
    }

    /** {@code result} is {@code expected} (the in-process merge) exactly, from pieces 0..pieces-1, each once. */
    static void assertExactly(JobResult result, Series expected, int pieces) {
        assertThat(result.y())
                .containsExactly(Arrays.stream(expected.y()).boxed().toArray(Double[]::new));
        assertThat(result.pieces())
                .extracting(JobResult.PieceInfo::index)
                .containsExactlyElementsOf(IntStream.range(0, pieces).boxed().toList());
    }
}
