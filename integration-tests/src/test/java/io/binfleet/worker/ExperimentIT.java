package io.binfleet.worker;

import io.binfleet.broker.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

class ExperimentIT {
    @Test
    void assignment() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(0, null, Map.of())) {
            Properties base = new Properties();
            base.put("bootstrap.servers", b.bootstrapServers());
            try (Admin admin = Admin.create(base)) {
                admin.createTopics(List.of(new NewTopic("exp", 8, (short) 1))).all().get();
                for (int n : new int[] {1, 2, 3, 8, 12}) {
                    String g = "g" + n;
                    List<KafkaShareConsumer<String, String>> cs = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        Properties p = new Properties();
                        p.putAll(base);
                        p.put(ConsumerConfig.GROUP_ID_CONFIG, g);
                        p.put(ConsumerConfig.CLIENT_ID_CONFIG, g + "-" + i);
                        var c = new KafkaShareConsumer<>(p, new StringDeserializer(), new StringDeserializer());
                        c.subscribe(List.of("exp"));
                        cs.add(c);
                    }
                    for (int r = 0; r < 60; r++) {
                        for (var c : cs) c.poll(Duration.ofMillis(50));
                    }
                    var d = admin.describeShareGroups(List.of(g)).all().get().get(g);
                    System.out.println("ASSIGN members=" + n);
                    d.members().forEach(m -> System.out.println("ASSIGN   " + m.clientId() + " -> "
                            + m.assignment().topicPartitions().stream().map(tp -> tp.partition()).sorted().toList()));
                    cs.forEach(c -> c.close(Duration.ofSeconds(2)));
                }
            }
        }
    }
}
