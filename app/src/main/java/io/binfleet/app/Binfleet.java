package io.binfleet.app;

import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/** The {@code binfleet} command. */
@Command(
        name = "binfleet",
        mixinStandardHelpOptions = true,
        version = "binfleet 0.1.0",
        description = "Organized parallel simulations on a Kafka worker fleet.")
public final class Binfleet implements Runnable {
    /** The commands, in the order of the help. */
    private static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
            RunCommand.class,
            UpCommand.class,
            DownCommand.class,
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
            ClassArchiveCommand.class,
            CommandLine.HelpCommand.class);

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
        CommandLine cl = new CommandLine(new Binfleet());
        for (Class<?> command : commands(args)) {
            cl.addSubcommand(command);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KafkaOptions.ConnectionException || e instanceof UncheckedIOException) {
                commandLine.getErr().println(e.getMessage());
                return 1;
            }
            KafkaException kafka = kafkaCause(e);
            if (kafka != null) {
                // a broker lost in the middle of a command: one line that says what failed and what to check
                commandLine.getErr().println(lostKafka(commandLine.getCommandName(), bootstrap(parseResult), kafka));
                // (the logger is made here: logging's start costs a command that logs nothing 0.1 s)
                LoggerFactory.getLogger(Binfleet.class).debug("{} failed", commandLine.getCommandName(), e);
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /**
     * The commands to build for {@code args}: picocli reads every command's options by reflection before it parses
     * anything (a third of a second for all of them), so a command line that names one command gets that one alone;
     * the help, a mistyped command and no command at all get them all.
     */
    static java.util.List<Class<?>> commands(String... args) {
        if (args.length > 0) {
            for (Class<?> command : COMMANDS) {
                Command annotation = command.getAnnotation(Command.class);
                if (annotation.name().equals(args[0]) && command != CommandLine.HelpCommand.class) {
                    return java.util.List.of(command);
                }
            }
        }
        return COMMANDS;
    }

    /** The Kafka client error behind {@code e}, if one is. */
    static KafkaException kafkaCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KafkaException k) {
                return k;
            }
        }
        return null;
    }

    /** The one line for a command whose Kafka request failed after it had connected. */
    static String lostKafka(String command, String bootstrap, KafkaException e) {
        String what = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage().strip().replace('\n', ' ');
        return "binfleet " + command + ": a Kafka request failed (" + what + "). " + checkBrokers(bootstrap);
    }

    /** What to check when Kafka does not answer. */
    static String checkBrokers(String bootstrap) {
        return "Check that the brokers at " + (bootstrap == null ? "--bootstrap" : bootstrap)
                + " are up and reachable, and that binfleet's topics have a leader and at least min.insync.replicas"
                + " replicas in sync (kafka-topics.sh --describe --under-min-isr-partitions).";
    }

    /** The {@code --bootstrap} of the command that ran (or its environment default). */
    private static String bootstrap(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        return last.hasMatchedOption("--bootstrap")
                ? last.matchedOptionValue("--bootstrap", (String) null)
                : System.getenv("BINFLEET_BOOTSTRAP");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(StatusCommand.quick(args).orElseGet(() -> execute(args)));
    }
}
