package io.binfleet.app;

import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description =
                "Create binfleet's topics and set up the worker share group, then exit (idempotent; every service does it too).")
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() {
        var settings = kafka.connect();
        try (Admin admin = Admin.create(settings.client())) {
            settings.topics().ensure(admin);
        }
        System.err.println(
                "topics ready: " + String.join(", ", settings.topics().all()));
        return 0;
    }
}
