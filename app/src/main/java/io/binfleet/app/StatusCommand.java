package io.binfleet.app;

import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "List jobs with their progress, or show one job with its pieces.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB", arity = "0..1", description = "A job id: show it with its pieces.")
    String jobId;

    @Mixin
    KafkaOptions kafka;

    /**
     * {@code binfleet status [JOB]} with nothing else, answered by the warm fleet of {@code binfleet up} before the
     * command line is even built (picocli's start is 0.2 s of such a call); empty for any other command line, or when
     * no fleet is up or it does not answer, and the command runs as usual. {@code ./binfleet} asks the fleet on the
     * same conditions before it starts a JVM (its {@code status_from_fleet}): a change to one belongs in the other.
     */
    static Optional<Integer> quick(String... args) {
        String bootstrap = System.getenv("BINFLEET_BOOTSTRAP");
        String prefix = System.getenv("BINFLEET_TOPIC_PREFIX");
        if (args.length < 1
                || args.length > 2
                || !args[0].equals("status")
                || (args.length == 2 && args[1].startsWith("-"))
                || (bootstrap != null && !bootstrap.isBlank())
                || (prefix != null && !prefix.equals(Topics.DEFAULT_PREFIX))) {
            return Optional.empty();
        }
        return fromWarmFleet(args.length == 2 ? args[1] : null).map(StatusCommand::print);
    }

    /** The warm fleet's answer, if one is up and answers: from the watcher it keeps, without a Kafka client here. */
    private static Optional<StatusReport> fromWarmFleet(String jobId) {
        return WarmFleet.running(WarmFleet.home())
                .filter(info -> info.statusPort() > 0)
                .flatMap(info -> StatusClient.ask(info.statusPort(), jobId));
    }

    @Override
    public Integer call() throws Exception {
        // (the fleet follows the topics of the default prefix only)
        if (!kafka.hasBootstrap() && Topics.DEFAULT_PREFIX.equals(kafka.topicPrefix)) {
            Optional<StatusReport> served = fromWarmFleet(jobId);
            if (served.isPresent()) {
                return print(served.get());
            }
        }
        KafkaSettings settings = kafka.connectUnverified();
        try (JobWatcher watcher = new JobWatcher(settings).start()) {
            // reading the jobs shows that Kafka answers; only when that is slow is the connection checked, for the
            // reason
            if (!watcher.awaitCaughtUp(Duration.ofSeconds(2))) {
                KafkaOptions.verify(settings);
            }
            if (!watcher.awaitCaughtUp(Duration.ofSeconds(28))) {
                System.err.println("binfleet status: could not read "
                        + settings.topics().jobs() + " within 30 s. " + Binfleet.checkBrokers(settings.bootstrap()));
                return 1;
            }
            return print(StatusReport.of(watcher, jobId, id -> ResultReader.pieces(settings, id)));
        }
    }

    private static int print(StatusReport report) {
        (report.found() ? System.out : System.err).print(report.text());
        return report.found() ? 0 : 1;
    }
}
