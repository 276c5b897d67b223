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

    private PayaraMicro(Process process, URI base, Path log) {
        super(process, base, log);
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
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PayaraMicro micro = new PayaraMicro(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        try {
            awaitHealth(process, micro.readiness(), readyMarker, Duration.ofMinutes(4), log);
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
