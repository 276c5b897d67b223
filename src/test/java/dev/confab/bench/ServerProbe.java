package dev.confab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures about the server process taken from outside it: CPU time from the OS ({@code /proc/<pid>/stat}) and heap
 * in use after a full GC ({@code jcmd}). The load generator never asks the server about itself.
 */
final class ServerProbe {

    private static final Pattern HEAP_LIVE = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final long pid;
    private final long ticksPerSecond;

    ServerProbe(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicks();
    }

    /** User + system CPU seconds the server process has used so far. */
    double cpuSeconds() {
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
        jcmd("GC.run");
        Matcher total = HEAP_LIVE.matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("no total from jcmd GC.class_histogram");
        }
        return Long.parseLong(total.group(1));
    }

    /** Writes the server's class histogram (live objects, after a full GC) to {@code file}. */
    void writeHistogram(Path file) {
        try {
            Files.writeString(file, jcmd("GC.class_histogram"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    /** Starts a flight recording (JFR, "profile" settings) in the server; see {@link #stopRecording}. */
    void startRecording(String name) {
        jcmd("JFR.start", "name=" + name, "settings=profile");
    }

    /** Stops the recording and writes it to {@code file} (read it with {@code jfr print --events jdk.ExecutionSample}). */
    void stopRecording(String name, Path file) {
        jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    /** This JVM's own (the load generator's) CPU seconds so far. */
    static double generatorCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private String jcmd(String... command) {
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
