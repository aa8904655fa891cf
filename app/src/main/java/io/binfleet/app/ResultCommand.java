package io.binfleet.app;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.ResultReader;
import io.binfleet.reducer.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(
        name = "result",
        mixinStandardHelpOptions = true,
        description =
                "Print a job's merged result (result.json), or write result.json, result.csv and plot.png with --out.")
final class ResultCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String jobId;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files into DIR instead of printing.")
    Path out;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() {
        Optional<JobResult> result = ResultReader.fetch(kafka.connect(), jobId, Duration.ZERO);
        if (result.isEmpty()) {
            System.err.println("no result for " + jobId + " (see: binfleet status " + jobId + ")");
            return 1;
        }
        JobFollower.gaps(System.err, result.get());
        if (result.get().partial()) {
            System.err.println(jobId + " ended " + result.get().status() + ": this is the partial result of the "
                    + result.get().pieces().size() + " pieces that finished (missing: "
                    + JobFollower.ranges(result.get().missing()) + ")");
        }
        if (out == null) {
            System.out.println(Codec.writePretty(result.get()));
        } else {
            ResultFiles.write(out, result.get(), SpecParser.builtin());
            System.err.println("wrote " + out + "/{result.json,result.csv,plot.png}");
        }
        return 0;
    }
}
