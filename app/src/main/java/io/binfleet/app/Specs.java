package io.binfleet.app;

import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and validates a job file, printing every problem. */
final class Specs {
    private Specs() {}

    /** The spec, or {@code null} after printing why it is not valid. */
    static JobSpec read(Path file, PrintWriter err) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
            return null;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return null;
        }
        try {
            Path name = file.getFileName();
            // a spec without a name takes its file's
            Path folder = file.toAbsolutePath().getParent();
            SpecParser parser =
                    folder == null ? SpecParser.builtin() : SpecParser.builtin().withBaseDir(folder);
            return parser.parse(json, SpecParser.nameOf(name == null ? "" : name.toString()));
        } catch (SpecException e) {
            err.println(file + ": " + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + ":");
            e.problems().forEach(p -> err.println("  " + p));
            return null;
        }
    }
}
