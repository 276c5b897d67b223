package dev.confab.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

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
}
