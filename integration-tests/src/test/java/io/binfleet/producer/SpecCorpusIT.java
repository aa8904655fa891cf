package io.binfleet.producer;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.simulations.SpecValidationTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every invalid spec of the corpus is refused by the producer with its path-named error, and nothing is published. */
class SpecCorpusIT {
    @Test
    void everyInvalidSpec_isRefused_andTheTopicsAreUnchanged() throws Exception {
        List<String[]> corpus = new ArrayList<>();
        SpecValidationTest.badSpecs().forEach(a -> corpus.add(new String[] {(String) a.get()[1], (String) a.get()[2]}));
        String base =
                "{\"name\": \"x\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": %s, \"simulation\": "
                        + "{\"name\": \"synthetic\"}}";
        corpus.add(new String[] {
            "{\"name\": " + "[".repeat(500) + "]".repeat(500) + "}", "spec: nested deeper than 64 levels"
        });
        String hugeEdges =
                IntStream.range(0, 150_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
        corpus.add(new String[] {
            String.format(base, "{\"split\": \"energy-windows\", \"bins\": [" + hugeEdges + "]}"), null
        });
        String tenMegabytes = "{\"name\": \"" + "y".repeat(10 * 1024 * 1024) + "\"}";
        corpus.add(new String[] {
            tenMegabytes, "spec: is " + tenMegabytes.length() + " bytes, more than the limit of 1048576"
        });
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);

        try (KafkaFixture kafka = KafkaFixture.shared();
                JobSubmitter submitter = new JobSubmitter(kafka.settings(), SpecParser.builtin())) {
            Map<TopicPartition, Long> before = endOffsets(kafka);
            for (String[] c : corpus) {
                var thrown = assertThatThrownBy(() -> submitter.submit(c[0].getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(SpecException.class);
                if (c[1] != null) {
                    thrown.hasMessage(c[1]);
                } else {
                    thrown.hasMessageStartingWith("parallel.");
                }
            }
            assertThat(endOffsets(kafka)).isEqualTo(before);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaFixture kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.settings().client())) {
            var t = kafka.settings().topics();
            Map<TopicPartition, OffsetSpec> req =
                    admin.describeTopics(List.of(t.tasks(), t.jobs())).allTopicNames().get().values().stream()
                            .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(req).all().get().entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
