package dev.confab.bench;

import java.util.Arrays;

/** Latency samples (nanoseconds) and their percentiles in milliseconds. */
final class Percentiles {

    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized void clear() {
        size = 0;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0–100) in milliseconds; NaN without samples. */
    synchronized double millis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
        return sorted[index] / 1e6;
    }

    /** The median of a few repeated figures (the mean of the middle two for an even count); NaN if none. */
    static double median(java.util.List<Double> values) {
        java.util.List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : Bench.round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }
}
