package io.binfleet.core.spi;

/** Anything registered under a name: the name a job spec uses to pick it. */
public interface Plugin {
    /** The registered name, e.g. {@code "Ising2D"}, {@code "energy-windows"}, {@code "join"}. */
    String name();
}
