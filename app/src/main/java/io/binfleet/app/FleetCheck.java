package io.binfleet.app;

import io.binfleet.kafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Whether a fleet has a reducer and workers running, as the groups they join tell (for {@code submit --wait}). */
final class FleetCheck {
    private FleetCheck() {}

    /**
     * Waits up to {@code within} for a member in the reducer's consumer group (a reducer that is starting joins in
     * seconds).
     *
     * @return whether one is there
     */
    static boolean reducerRunning(KafkaSettings settings, Duration within) throws InterruptedException {
        String group = settings.topics().reducerGroup();
        return until(
                within,
                settings,
                admin -> hasMembers(admin.describeConsumerGroups(List.of(group)).all(), group, d -> d.members()));
    }

    /** Waits up to {@code within} for a member in the workers' share group. */
    static boolean workersRunning(KafkaSettings settings, Duration within) throws InterruptedException {
        String group = settings.topics().workerGroup();
        return until(
                within,
                settings,
                admin -> hasMembers(admin.describeShareGroups(List.of(group)).all(), group, d -> d.members()));
    }

    /** Whether {@code group}'s description, once it comes, lists a member. */
    private static <D> boolean hasMembers(
            KafkaFuture<Map<String, D>> descriptions, String group, Function<D, Collection<?>> members)
            throws ExecutionException, TimeoutException, InterruptedException {
        return !members.apply(descriptions.get(5, TimeUnit.SECONDS).get(group)).isEmpty();
    }

    private interface Probe {
        boolean test(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static boolean until(Duration within, KafkaSettings settings, Probe probe) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        try (Admin admin = Admin.create(settings.client())) {
            do {
                try {
                    if (probe.test(admin)) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // a group that does not exist yet, or a slow answer: look again
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
        }
        return false;
    }
}
