package dev.confab.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/** The WAR Maven built (not a hand-picked subset), deployed at the root context like production. */
public final class ConfabWar {

    private ConfabWar() {
    }

    public static WebArchive asRoot() {
        File war = new File(System.getProperty("confab.war", "target/confab.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("Build the WAR first (mvn package): " + war.getAbsolutePath());
        }
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }

    /**
     * Readiness (MicroProfile Health) for the server this run is on: Payara serves it beside the app, WildFly on its
     * management interface, whose address Maven hands the tests as {@code confab.it.readiness}.
     */
    public static URI readiness(URI app) {
        String managed = System.getProperty("confab.it.readiness");
        return managed == null ? app.resolve("health/ready") : URI.create(managed);
    }

    /** Confab's own check in a readiness answer (a server may list checks of its own before it). */
    public static jakarta.json.JsonObject storeCheck(jakarta.json.JsonObject readiness) {
        return readiness.getJsonArray("checks").getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(check -> check.getString("name").equals("store")).findFirst()
                .orElseThrow(() -> new AssertionError("no store check in " + readiness));
    }

    /**
     * The deployed app's base URI on 127.0.0.1: Confab listens on loopback only, while the adapter reports the
     * machine's address; its port and path are kept.
     */
    public static URI loopback(URL deployed) {
        try {
            return new URI("http", null, "127.0.0.1", deployed.getPort(), deployed.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(deployed.toString(), e);
        }
    }
}
