package io.binfleet.core.spi;

/**
 * The four registries, loaded once from a class loader. {@link #builtin()} uses the loader that loaded
 * binfleet itself, which sees every plugin jar on the class path.
 */
public record Plugins(
        Registry<SystemType> systems,
        Registry<SplitType> splits,
        Registry<SimulationType> simulations,
        Registry<MergeType> merges) {

    private static final class Holder {
        static final Plugins BUILTIN = load(Plugins.class.getClassLoader());
    }

    public static Plugins builtin() {
        return Holder.BUILTIN;
    }

    public static Plugins load(ClassLoader loader) {
        return new Plugins(
                Registry.load(SystemType.class, "system", loader),
                Registry.load(SplitType.class, "split", loader),
                Registry.load(SimulationType.class, "simulation", loader),
                Registry.load(MergeType.class, "merge method", loader));
    }
}
