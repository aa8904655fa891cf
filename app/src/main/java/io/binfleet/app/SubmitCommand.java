package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.producer.SubmitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Validate a job file and publish it to a running fleet; prints the job id.")
final class SubmitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB.json", description = "The job spec.")
    Path job;

    @Option(names = "--wait", description = "Wait for the job to end; exit 0 only if it ends DONE.")
    boolean await;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "86400",
            description = "With --wait: give up after this long.")
    long timeout;

    @Option(
            names = "--keep-waiting",
            description = "With --wait: wait even when no reducer is running on the fleet (by default submit says so"
                    + " within seconds and exits 3, since nothing would merge the job).")
    boolean keepWaiting;

    /** How long {@code --wait} looks for a running reducer before it says there is none. */
    static final Duration REDUCER_GRACE = Duration.ofSeconds(10);

    @Mixin
    KafkaOptions kafka;

    /** What a failed submission tells its user: whether the job is on the fleet, and what to check. */
    static String notSubmitted(SubmitException e, String bootstrap) {
        String check = " Check that the brokers at " + bootstrap + " are up and that binfleet's topics have at least"
                + " min.insync.replicas replicas in sync.";
        return switch (e.submitted()) {
            case NO ->
                "binfleet submit: " + e.getMessage() + " (nothing of it is on the fleet; submit it again)." + check;
            case UNKNOWN ->
                "binfleet submit: job " + e.jobId() + " may or may not be submitted: " + e.getMessage()
                        + ". `binfleet status " + e.jobId() + "` shows whether it was." + check;
        };
    }

    @Override
    public Integer call() throws Exception {
        JobSpec spec = Specs.read(job, new PrintWriter(System.err, true));
        if (spec == null) {
            return 1;
        }
        KafkaSettings settings = kafka.connect();
        try (Closer closer = new Closer()) {
            JobWatcher watcher = await ? closer.add(new JobWatcher(settings).start()) : null;
            JobSubmitter submitter =
                    closer.add(new JobSubmitter(settings, SpecParser.builtin(), kafka.metrics(closer, "producer")));
            JobSubmitter.Submitted s;
            try {
                // the job's code travels with it: fleet workers do not have the job's folder
                s = submitter.submit(spec, job.toAbsolutePath().getParent());
            } catch (SpecException e) {
                System.err.println(job + ": " + e.getMessage());
                return 1;
            } catch (SubmitException e) {
                System.err.println(notSubmitted(e, settings.bootstrap()));
                return 1;
            }
            System.out.println(s.jobId());
            if (watcher == null) {
                return 0;
            }
            if (!FleetCheck.reducerRunning(settings, REDUCER_GRACE)) {
                String line = s.jobId() + " is submitted, but no reducer is running on this fleet (consumer group "
                        + settings.topics().reducerGroup() + " has no members), so nothing will merge it. Start"
                        + " `binfleet reducer --bootstrap " + settings.bootstrap() + "`";
                if (!keepWaiting) {
                    System.err.println(line + "; the job waits on the fleet. (--keep-waiting waits anyway.)");
                    return 3;
                }
                System.err.println(line + ". Waiting for one (--keep-waiting).");
            }
            if (!FleetCheck.workersRunning(settings, Duration.ZERO)) {
                System.err.println("no worker is in share group "
                        + settings.topics().workerGroup()
                        + " yet: the job's pieces wait for one (`binfleet worker --bootstrap " + settings.bootstrap()
                        + "`)");
            }
            JobEvent end = JobFollower.follow(
                    watcher,
                    s.jobId(),
                    spec.name(),
                    s.pieces(),
                    System.console() != null,
                    Duration.ofSeconds(timeout),
                    Optional::empty);
            if (end == null || !end.state().terminal()) {
                System.err.println(s.jobId() + ": still " + (end == null ? "SUBMITTED" : end.state()) + " after "
                        + timeout + " s");
                return 3;
            }
            JobFollower.summary(System.err, end, end.at() - s.submittedAt());
            return end.state() == JobEvent.State.DONE ? 0 : 2;
        }
    }
}
