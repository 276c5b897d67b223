package dev.confab.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures about the server processes taken from outside them: CPU time from the OS ({@code /proc/<pid>/stat}) and
 * heap in use after a full GC ({@code jcmd}), summed over the nodes when there are several (a cluster). The load
 * generator never asks a server about itself. With profiling on ({@code bench.profile}), measured windows are
 * flight-recorded and heap histograms kept, in the bench's folder (per node: {@code <name>-<pid>}). With
 * {@code bench.cpu-profiler} on, measured windows are also profiled by async-profiler (loaded into each server with
 * {@code jcmd JVMTI.agent_load}), which sees every thread's CPU time, native and kernel frames included, where a
 * flight recording samples a few Java threads: {@code <name>-<pid>.collapsed}, one stack per line with its count.
 */
final class ServerProbe {

    private static final Pattern HEAP_LIVE = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    /** What a measured window cost (server and generator CPU seconds over its length) and what it counted. */
    record Window(double serverCpuSeconds, double generatorCpuSeconds, int seconds, long counted) {

        double serverCores() {
            return serverCpuSeconds / seconds;
        }

        double generatorCores() {
            return generatorCpuSeconds / seconds;
        }
    }

    private final java.util.List<Long> pids;
    private final long ticksPerSecond;
    private final Path work;
    private final boolean profile;
    /** async-profiler's library when CPU-profiling, else null. */
    private final String cpuProfiler;
    /**
     * What async-profiler is told as a window opens: {@code bench.cpu-profile-event=wall} samples every thread,
     * waiting or not, by name (where a latency goes); the default, cpu, what runs.
     */
    private final String cpuProfilerStart = cpuProfilerStart(System.getProperty("bench.cpu-profile-event", "cpu"));
    /** For a server that is not a JVM (the seed peer): where it answers its live heap after a full GC; else null. */
    private final URI heapUrl;

    ServerProbe(long pid, Path work, boolean profile) {
        this(java.util.List.of(pid), work, profile);
    }

    ServerProbe(java.util.List<Long> pids, Path work, boolean profile) {
        this(pids, work, profile, cpuProfiler().orElse(null), null);
    }

    private static String cpuProfilerStart(String event) {
        return "start,event=" + event + ",interval=1ms" + ("cpu".equals(event) ? "" : ",threads");
    }

    private ServerProbe(java.util.List<Long> pids, Path work, boolean profile, String cpuProfiler, URI heapUrl) {
        this.pids = java.util.List.copyOf(pids);
        this.ticksPerSecond = clockTicks();
        this.work = work;
        this.profile = profile;
        this.cpuProfiler = cpuProfiler;
        this.heapUrl = heapUrl;
    }

    /**
     * The seed peer, a Node process: CPU and resident memory from the OS as for the JVMs; its live heap from its own
     * {@code GET /heap} (a full GC, then V8's heap in use), no flight recordings or histograms.
     */
    static ServerProbe ofSeed(SeedPeer seed, Path work) {
        return new ServerProbe(java.util.List.of(seed.pid()), work, false, null, seed.base().resolve("heap"));
    }

    /**
     * async-profiler's library when CPU-profiling ({@code bench.cpu-profiler}): one answer for the servers' start
     * options ({@link Bench}) and for the windows that start and stop it here.
     */
    static java.util.Optional<String> cpuProfiler() {
        return Boolean.getBoolean("bench.cpu-profiler")
                ? java.util.Optional.of(System.getProperty("bench.async-profiler")) : java.util.Optional.empty();
    }

    /**
     * Sleeps through a measured window of {@code seconds}: {@code reset} runs as it opens (e.g. clear the latency
     * samples), and {@code counter} (e.g. messages received) is read as it opens and, before anything else, as it
     * closes. Recorded as {@code <name>.jfr} when profiling.
     */
    Window measure(String name, int seconds, Runnable reset, LongSupplier counter) throws InterruptedException {
        try (Profiling ignored = profiling(name)) {
            reset.run();
            long countedBefore = counter.getAsLong();
            double server = cpuSeconds();
            double generator = generatorCpuSeconds();
            Thread.sleep(seconds * 1000L);
            long counted = counter.getAsLong() - countedBefore;
            return new Window(cpuSeconds() - server, generatorCpuSeconds() - generator, seconds, counted);
        }
    }

    /** A stretch of the run recorded (when profiling) as {@code <name>.jfr} and {@code <name>.collapsed}. */
    interface Profiling extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts recording {@code name} when profiling (a no-op otherwise); closing it writes the recordings. */
    Profiling profiling(String name) {
        if (profile) {
            pids.forEach(pid -> jcmd(pid, "JFR.start", "name=" + name, "settings=profile"));
        }
        if (cpuProfiler != null) {
            pids.forEach(pid -> cpuProfiler(pid, cpuProfilerStart));
        }
        return () -> {
            if (profile) {
                // read it with: jfr print --events jdk.ExecutionSample --stack-depth 64 <file>
                pids.forEach(pid -> jcmd(pid, "JFR.stop", "name=" + name,
                        "filename=" + work.resolve(fileName(name, pid) + ".jfr").toAbsolutePath()));
            }
            if (cpuProfiler != null) {
                pids.forEach(pid -> cpuProfiler(pid,
                        "stop,collapsed,file=" + work.resolve(fileName(name, pid) + ".collapsed").toAbsolutePath()));
            }
        };
    }

    /**
     * Tells async-profiler in {@code pid} what to do (loading it the first time). The options go quoted: jcmd would
     * take their {@code =} for its own named arguments; and jcmd succeeds whatever the agent answers.
     */
    private void cpuProfiler(long pid, String options) {
        String out = jcmd(pid, "JVMTI.agent_load", cpuProfiler, '"' + options + '"');
        if (out.contains("[ERROR]")) {
            throw new IllegalStateException("async-profiler refused " + options + ": " + out);
        }
    }

    /** When profiling: the server's class histogram (live objects, after a full GC) as {@code <name>.txt}. */
    void histogram(String name) {
        if (!profile) {
            return;
        }
        for (long pid : pids) {
            Path file = work.resolve(fileName(name, pid) + ".txt");
            try {
                Files.writeString(file, jcmd(pid, "GC.class_histogram"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + file, e);
            }
        }
    }

    private String fileName(String name, long pid) {
        return pids.size() == 1 ? name : name + "-" + pid;
    }

    /** User + system CPU seconds the server processes have used so far. */
    double cpuSeconds() {
        return pids.stream().mapToDouble(this::cpuSeconds).sum();
    }

    private double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / (double) ticksPerSecond;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the server's CPU time", e);
        }
    }

    /**
     * Bytes of live objects, from the class histogram (which runs a full GC first): the same figure whatever
     * collector the server uses.
     */
    long heapAfterGcBytes() {
        if (heapUrl != null) {
            return seedHeapBytes();
        }
        long bytes = 0;
        for (long pid : pids) {
            jcmd(pid, "GC.run");
            Matcher total = HEAP_LIVE.matcher(jcmd(pid, "GC.class_histogram"));
            if (!total.find()) {
                throw new IllegalStateException("no total from jcmd GC.class_histogram");
            }
            bytes += Long.parseLong(total.group(1));
        }
        return bytes;
    }

    private long seedHeapBytes() {
        try {
            // HTTP/1.1: the default client's h2c upgrade would be an upgrade request, which Socket.io takes and drops
            String body = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(heapUrl).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject()
                    .getJsonNumber("heapUsed").longValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask the seed peer its heap", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Resident memory of the server processes (VmRSS, summed), as the OS counts it. */
    long residentBytes() {
        long bytes = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        bytes += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the server's resident memory", e);
            }
        }
        return bytes;
    }

    /** This JVM's own (the load generator's) CPU seconds so far. */
    private static double generatorCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static String jcmd(long pid, String... command) {
        try {
            java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
            line.addAll(java.util.List.of(command));
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's usual USER_HZ
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
