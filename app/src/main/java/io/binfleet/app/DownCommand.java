package io.binfleet.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = {
            "Stop the local fleet of `binfleet up`.",
            "Its workers hand back the pieces they are running (a piece"
                    + " run again later starts from its last checkpoint), the reducer and the broker shut down"
                    + " cleanly. The broker's data stays in HOME/kafka for the next `binfleet up`.",
        })
final class DownCommand implements Callable<Integer> {
    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Kill the fleet if it has not stopped within this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Optional<WarmFleet.Info> info = WarmFleet.running(WarmFleet.home());
        if (info.isEmpty()) {
            err.println("no local fleet is up (nothing to stop)");
            return 0;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(info.get().pid());
        if (process.isEmpty()) {
            err.println("the local fleet has stopped");
            return 0;
        }
        long start = System.nanoTime();
        CompletableFuture<ProcessHandle> exited = process.get().onExit();
        process.get().destroy();
        try {
            exited.get(timeoutSeconds, TimeUnit.SECONDS);
            err.printf(
                    "stopped the local fleet (pid %d) in %.1f s%n",
                    info.get().pid(), (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (TimeoutException e) {
            process.get().destroyForcibly();
            exited.get(10, TimeUnit.SECONDS);
            WarmFleet.remove(WarmFleet.home(), info.get().pid());
            err.printf(
                    "the local fleet (pid %d) did not stop within %d s and was killed; its pieces will run again%n",
                    info.get().pid(), timeoutSeconds);
            return 1;
        }
    }
}
