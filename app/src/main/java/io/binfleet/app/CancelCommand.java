package io.binfleet.app;

import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobCanceller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a job: workers skip or stop its remaining pieces and it ends CANCELLED.")
final class CancelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        KafkaSettings settings = kafka.connect();
        try {
            switch (JobCanceller.cancel(settings, jobId, "cancelled by user")) {
                case CANCELLED:
                    System.err.println(jobId + " CANCELLED");
                    return 0;
                case NO_SUCH_JOB:
                    System.err.println("no job " + jobId);
                    return 1;
                default:
                    System.err.println(jobId + " has already ended");
                    return 1;
            }
        } catch (IllegalStateException e) {
            System.err.println(
                    "binfleet cancel: " + e.getMessage() + ". " + Binfleet.checkBrokers(settings.bootstrap()));
            return 1;
        }
    }
}
