package io.binfleet.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/** The {@code binfleet} command. */
@Command(
        name = "binfleet",
        mixinStandardHelpOptions = true,
        version = "binfleet 0.1.0",
        description = "Organized parallel simulations on a Kafka worker fleet.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            PlanCommand.class,
            BrokerCommand.class,
            WorkerCommand.class,
            ReducerCommand.class,
            SubmitCommand.class,
            StatusCommand.class,
            CancelCommand.class,
            ResultCommand.class,
            TopicsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Binfleet implements Runnable {
    static {
        // the default of --workers (run) and --threads (worker): one piece per core
        System.setProperty(
                "binfleet.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Runs the command line and returns its exit code (0 only on success). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Binfleet()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KafkaOptions.ConnectionException || e instanceof UncheckedIOException) {
                commandLine.getErr().println(e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }
}
