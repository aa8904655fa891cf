package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.kafka.metrics.MeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The pieces a worker is running and how far each is, told to the fleet: a piece that has run {@link #FIRST} gets a
 * PROGRESS report on the jobs topic (key {@code jobId/piece}), then one whenever its fraction moves (at most every
 * {@link #MIN_GAP}) and at least every {@link #HEARTBEAT} while it runs, so that the reducer sees it alive even if it
 * reports no fraction; a piece that ends gets a tombstone if it was reported. Short pieces are never reported. Also
 * the gauge of pieces in progress by fraction band.
 */
final class ProgressBoard implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProgressBoard.class);
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MIN_GAP = Duration.ofSeconds(1);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration TICK = Duration.ofMillis(250);
    private static final String[] BANDS = {"0-25%", "25-50%", "50-75%", "75-100%"};

    /** One running piece. Its fraction is written by the piece's thread, the rest under its lock by the board's. */
    final class Entry {
        final String jobId;
        final int piece;
        final String worker;
        final long start = System.nanoTime();
        /** Its run time before this run (restored from a checkpoint). */
        final double before;

        volatile double fraction = Double.NaN;
        /** When {@link #fraction} was reported ({@link System#nanoTime}). */
        private volatile long fractionAt;

        private long lastSent;
        private double lastFraction = Double.NaN;
        private boolean sent;
        private boolean closed;

        private Entry(String jobId, int piece, String worker, double before) {
            this.jobId = jobId;
            this.piece = piece;
            this.worker = worker;
            this.before = before;
        }

        /** Its run time so far, earlier runs included. */
        double seconds() {
            return before + (System.nanoTime() - start) / 1e9;
        }

        /** The last fraction it reported, 0 if none. */
        double fractionOrZero() {
            double f = fraction;
            return Double.isNaN(f) ? 0 : f;
        }

        void progress(double f) {
            if (f >= 0 && f <= 1) {
                fractionAt = System.nanoTime();
                fraction = f;
            }
        }

        /**
         * How many seconds this run has left, from the pace of its last reported fraction; NaN when it reports none
         * (or resumed from a checkpoint, whose fraction counts the earlier run's work too).
         */
        double remainingSeconds() {
            double f = fraction;
            if (Double.isNaN(f) || f <= 0 || before > 0) {
                return Double.NaN;
            }
            double total = (fractionAt - start) / 1e9 / f;
            return total - (System.nanoTime() - start) / 1e9;
        }
    }

    private final Set<Entry> running = ConcurrentHashMap.newKeySet();
    private final BiConsumer<String, byte[]> send;
    private final ScheduledExecutorService ticker;

    /** @param send writes a record (key, value or null for a tombstone) to the jobs topic */
    ProgressBoard(BiConsumer<String, byte[]> send, MeterRegistry registry) {
        this.send = send;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "binfleet-progress");
            t.setDaemon(true);
            return t;
        });
        for (int b = 0; b <= BANDS.length; b++) {
            int band = b;
            Gauge.builder(MeterNames.PIECES_PROGRESS, this, board -> board.count(band))
                    .description("Pieces running now, by band of the fraction they report (none: they report none)")
                    .tag("band", band < BANDS.length ? BANDS[band] : "none")
                    .register(registry);
        }
    }

    void start() {
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    Entry started(String jobId, int piece, String worker, double before) {
        Entry e = new Entry(jobId, piece, worker, before);
        running.add(e);
        return e;
    }

    /** The piece ended: no more reports, and a tombstone for the last one if any went out. */
    void ended(Entry e) {
        running.remove(e);
        synchronized (e) {
            e.closed = true;
            if (e.sent) {
                send.accept(PieceProgress.key(e.jobId, e.piece), null);
            }
        }
    }

    private double count(int band) {
        int n = 0;
        for (Entry e : running) {
            double f = e.fraction;
            int b = Double.isNaN(f) ? BANDS.length : Math.min(BANDS.length - 1, (int) (f * BANDS.length));
            n += b == band ? 1 : 0;
        }
        return n;
    }

    void tick() {
        long now = System.nanoTime();
        for (Entry e : running) {
            try {
                synchronized (e) {
                    if (e.closed || now - e.start < FIRST.toNanos()) {
                        continue;
                    }
                    double f = e.fraction;
                    long since = now - e.lastSent;
                    boolean moved =
                            Double.isNaN(f) != Double.isNaN(e.lastFraction) || Math.abs(f - e.lastFraction) >= 1e-3;
                    if (!e.sent || since >= HEARTBEAT.toNanos() || (moved && since >= MIN_GAP.toNanos())) {
                        PieceProgress p = PieceProgress.of(
                                e.jobId,
                                e.piece,
                                Double.isNaN(f) ? null : f,
                                e.worker,
                                e.seconds(),
                                System.currentTimeMillis());
                        send.accept(PieceProgress.key(e.jobId, e.piece), Codec.write(p));
                        e.sent = true;
                        e.lastSent = now;
                        e.lastFraction = f;
                    }
                }
            } catch (RuntimeException ex) {
                LOGGER.debug("progress report not sent jobId={} piece={}: {}", e.jobId, e.piece, ex.toString());
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
