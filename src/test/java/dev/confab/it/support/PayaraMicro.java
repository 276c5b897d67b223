package dev.confab.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Launches Confab on Payara Micro in its own process, as the run command does, for tests that must stop and
 * start the server (Arquillian keeps one server per class). Listens on 127.0.0.1 on a free port and is stopped
 * by its own PID.
 */
public final class PayaraMicro extends LaunchedServer {

    private final URI probe;

    private PayaraMicro(Process process, URI base, Path log, URI probe) {
        super(process, base, log);
        this.probe = probe;
    }

    /** Where the test itself reaches the server: {@link #base()}, or a forwarded port for one in a namespace. */
    public URI probe() {
        return probe;
    }

    /**
     * Payara Micro with {@code war} at the root context, on {@code port}; ready once {@code /health/ready} answers
     * 200 with a body containing {@code readyMarker} (Confab's store check; a failed deployment is "UP" without it).
     * Call it through {@link Servers#start}.
     *
     * @param workDir    a folder of the test's own (log and Payara's root dir go there)
     * @param properties system properties for Confab (e.g. confab.data.dir)
     * @param jvmOptions extra options for Payara's JVM (e.g. a flight recording for the benchmark)
     */
    static PayaraMicro start(Path workDir, Map<String, String> properties, Path war, String readyMarker,
                             List<String> jvmOptions, int port) throws IOException {
        return start(null, workDir, properties, war, readyMarker, jvmOptions, port);
    }

    /**
     * Confab's WAR on Payara Micro inside {@code ns} (when not null), on the namespace's own 127.0.0.1:{@code port};
     * the test probes its readiness through {@link NetworkNamespace#forward}. {@link #base()} is the address
     * browsers in the namespace use; {@link #probe()} the test's own way in.
     */
    public static PayaraMicro inNamespace(NetworkNamespace ns, Path workDir, Map<String, String> properties, int port)
            throws IOException {
        return start(ns, workDir, properties, Path.of(System.getProperty("confab.war", "target/confab.war")),
                Servers.STORE_CHECK, List.of(), port);
    }

    private static PayaraMicro start(NetworkNamespace ns, Path workDir, Map<String, String> properties, Path war,
                                     String readyMarker, List<String> jvmOptions, int port) throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--deploy", war.toAbsolutePath() + ":/",
                "--port", String.valueOf(port), "--nocluster", "--nohostaware",
                "--prebootcommandfile", Path.of("payara-config", "pre-boot-commands.asadmin").toAbsolutePath().toString(),
                "--rootDir", Files.createTempDirectory(workDir, "payara-root").toString()));
        Path log = workDir.resolve("payara-" + port + ".log");
        Process process = new ProcessBuilder(ns == null ? command : ns.inside(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        PayaraMicro micro = new PayaraMicro(process, base, log, ns == null ? base : ns.forward(port));
        try {
            awaitHealth(process, micro.probe().resolve("health/ready"), readyMarker, Duration.ofMinutes(4), log);
        } catch (RuntimeException | IOException e) {
            micro.close();
            throw e;
        }
        return micro;
    }

    @Override
    public URI readiness() {
        return base().resolve("health/ready");
    }
}
