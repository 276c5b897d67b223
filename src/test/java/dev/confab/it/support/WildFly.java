package dev.confab.it.support;

import org.wildfly.core.launcher.Launcher;
import org.wildfly.core.launcher.StandaloneCommandBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Confab on a stock WildFly (the {@code wildfly-dist} zip Maven unpacked), the way an admin installs it: the server
 * prepared once by {@code src/main/wildfly/confab.cli} through {@code jboss-cli.sh --connect} ({@link #main}, run by
 * Maven before the integration tests), then, per launch, a server base directory of its own with the WAR copied in
 * as {@code deployments/ROOT.war}. Listens on 127.0.0.1 only, on free ports, and is stopped by the server JVM's own
 * PID. Settings reach Confab as {@code -D} system properties on the server's command line.
 */
public final class WildFly extends LaunchedServer {

    /** Holds the script a home was prepared with: a second build does not run it again unless it changed. */
    private static final String PREPARED_MARKER = ".confab-prepared";

    private final URI readiness;

    private WildFly(Process process, URI base, URI readiness, Path log) {
        super(process, base, log);
        this.readiness = readiness;
    }

    /** Prepares a freshly unpacked WildFly for Confab: {@code WildFly <wildfly-home> <confab.cli>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: WildFly <wildfly-home> <confab.cli>");
        }
        prepare(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Starts the unpacked server with nothing deployed, runs the admin's script against it over the management
     * interface (the script reloads the server itself) and stops it again.
     */
    static void prepare(Path home, Path script) throws IOException, InterruptedException {
        String wanted = Files.readString(script);
        Path marker = home.resolve(PREPARED_MARKER);
        if (Files.exists(marker) && Files.readString(marker).equals(wanted)) {
            return;
        }
        Ports ports = Ports.free();
        Path log = home.resolve("standalone").resolve("confab-prepare.log");
        Process server = launch(home, home.resolve("standalone"), ports, Map.of(), List.of(), log);
        try {
            // the stock server's own health subsystem answers 200 once it runs (in a format of its own)
            awaitHealth(server, ports.readiness(), "", Duration.ofMinutes(3), log);
            Path cliLog = home.resolve("standalone").resolve("confab-cli.log");
            ProcessBuilder command = new ProcessBuilder(home.resolve("bin").resolve("jboss-cli.sh").toString(),
                    "--connect", "--controller=remote+http://127.0.0.1:" + ports.management(),
                    "--file=" + script.toAbsolutePath());
            command.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process cli = command.redirectErrorStream(true).redirectOutput(cliLog.toFile()).start();
            if (!cli.waitFor(3, TimeUnit.MINUTES) || cli.exitValue() != 0) {
                cli.destroyForcibly();
                throw new IllegalStateException("jboss-cli.sh --file=" + script + " failed:\n" + Files.readString(cliLog));
            }
            System.out.println(Files.readString(cliLog));
        } finally {
            Processes.stop(server.toHandle(), Duration.ofSeconds(60));
        }
        Files.writeString(marker, wanted);
    }

    /**
     * Any WAR at the root context of the prepared WildFly, on {@code port}, with these system properties; ready once
     * the deployment scanner has marked the WAR deployed and readiness answers 200 with {@code readyMarker} in its
     * body. Call it through {@link Servers#start}.
     */
    static WildFly start(Path workDir, Map<String, String> properties, Path war, String readyMarker,
                         List<String> jvmOptions, int port) throws IOException {
        Path home = home();
        if (!Files.exists(home.resolve(PREPARED_MARKER))) {
            throw new IllegalStateException("WildFly at " + home + " is not prepared (mvn pre-integration-test does it)");
        }
        Files.createDirectories(workDir);
        Path baseDir = Files.createTempDirectory(workDir, "wildfly-base");
        copyTree(home.resolve("standalone").resolve("configuration"), baseDir.resolve("configuration"));
        Path deployments = Files.createDirectories(baseDir.resolve("deployments"));
        Files.copy(war, deployments.resolve("ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        Ports ports = Ports.free(port);
        Path log = workDir.resolve("wildfly-" + port + ".log");
        Process process = launch(home, baseDir, ports, properties, jvmOptions, log);
        WildFly server = new WildFly(process, URI.create("http://127.0.0.1:" + port + "/"), ports.readiness(), log);
        try {
            // the scanner's marker first: polling readiness before makes WildFly log a warning per DOWN answer
            awaitDeployed(process, deployments, log);
            awaitHealth(process, ports.readiness(), readyMarker, Duration.ofMinutes(1), log);
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Process launch(Path home, Path baseDir, Ports ports, Map<String, String> properties,
                                  List<String> jvmOptions, Path log) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xmx512m",
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.http.port=" + ports.http(), "-Djboss.https.port=" + ports.https(),
                "-Djboss.management.http.port=" + ports.management(),
                "-Djboss.management.https.port=" + ports.managementHttps()));
        options.addAll(jvmOptions);
        properties.forEach((k, v) -> options.add("-D" + k + "=" + v));
        StandaloneCommandBuilder command = StandaloneCommandBuilder.of(home)
                .setJavaHome(System.getProperty("java.home"))
                .setBaseDirectory(baseDir)
                .addJavaOptions(options);
        // the launcher starts the server JVM itself (no shell script in between), so this is its own PID
        return Launcher.of(command).setRedirectErrorStream(true).redirectOutput(log).launch();
    }

    /** The deployment scanner's verdict: {@code ROOT.war.deployed}, or {@code .failed} with the reason in it. */
    private static void awaitDeployed(Process process, Path deployments, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly exited early; see " + log);
            }
            if (Files.exists(deployments.resolve("ROOT.war.deployed"))) {
                return;
            }
            Path failed = deployments.resolve("ROOT.war.failed");
            if (Files.exists(failed)) {
                throw new IllegalStateException("ROOT.war failed to deploy: " + Files.readString(failed) + "; see " + log);
            }
            Servers.sleep(100);
        }
        throw new IllegalStateException("ROOT.war was not marked deployed; see " + log);
    }

    /** Where Maven unpacked WildFly (system property {@code wildfly.home}). */
    static Path home() {
        return Path.of(System.getProperty("wildfly.home", "target/wildfly"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public URI readiness() {
        return readiness;
    }

    /** The four ports a standalone server listens on; all on 127.0.0.1. */
    private record Ports(int http, int https, int management, int managementHttps) {

        static Ports free() {
            return free(Servers.freePort());
        }

        static Ports free(int http) {
            return new Ports(http, Servers.freePort(), Servers.freePort(), Servers.freePort());
        }

        URI readiness() {
            return URI.create("http://127.0.0.1:" + management + "/health/ready");
        }
    }
}
