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
