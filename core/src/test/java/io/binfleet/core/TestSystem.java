package io.binfleet.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Normalization;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.core.spi.SystemType;

import java.util.Optional;

/** A test system: levels 0, step, 2·step, ... (count of them); normalizes y(0) = 0. Not registered. */
public final class TestSystem implements SystemType {
    @Override
    public String name() {
        return "Levels";
    }

    @Override
    public SystemModel configure(Params state) {
        Integer count = state.integer("count", 2, 100_000);
        double step = state.number("step", 1e-9, 1e9, 1);
        return count == null ? null : new Levels(count, step);
    }

    public record Levels(int count, double step) implements SystemModel {
        @Override
        public String type() {
            return "Levels";
        }

        @Override
        public ObjectNode params() {
            return Codec.object().put("count", count).put("step", step);
        }

        @Override
        public double[] levels() {
            double[] l = new double[count];
            for (int i = 0; i < count; i++) {
                l[i] = i * step;
            }
            return l;
        }

        @Override
        public Optional<Normalization> normalization() {
            return Optional.of(new Normalization(0, 0));
        }
    }
}
