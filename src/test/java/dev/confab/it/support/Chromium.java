package dev.confab.it.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One headless Debian Chromium (through Playwright) shared by a test class, with fake camera and microphone.
 * Each participant gets its own context (own storage, own permissions), like a separate person's browser.
 */
public final class Chromium implements AutoCloseable {

    /** Confab's preferences for small (320×240) video: keeps calls of several pages light on 2 cores. */
    public static final String LOW_VIDEO = "{\"videoHeight\":240}";

    private static final List<String> FLAGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            // no DNS look-ups of Chromium's own: only the app on loopback is reachable
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");

    private final Playwright playwright;
    private final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    public Chromium() {
        this(Path.of(System.getProperty("chromium.path", "/usr/bin/chromium")));
    }

    /**
     * Chromium inside {@code ns}: Playwright starts a script of the test's own that execs Debian's Chromium in
     * the namespace (Playwright talks to it over pipes, which the namespace does not touch).
     */
    public static Chromium inNamespace(NetworkNamespace ns, Path workDir) {
        try {
            Path script = workDir.resolve("chromium-in-" + ns.name());
            Files.createDirectories(workDir);
            Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + ns.name() + " "
                    + System.getProperty("chromium.path", "/usr/bin/chromium") + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new Chromium(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Chromium(Path executable) {
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                .setArgs(FLAGS));
    }

    /** A new person's browser, pointed at the app; {@code prefs} (JSON or null) pre-sets Confab's preferences. */
    public MeetingPage person(URI app, String prefs) {
        return person(app, prefs, null);
    }

    /**
     * As {@link #person(URI, String)}, with a script run before the app in every page of this person's browser
     * (e.g. a camera that answers late, or devices that are refused).
     */
    public MeetingPage person(URI app, String prefs, String deviceScript) {
        return person(app, prefs, deviceScript, new Browser.NewContextOptions().setViewportSize(1000, 700));
    }

    /** A person on a phone: an iPhone-13-sized touch screen (390 × 844 CSS pixels, portrait) or turned sideways. */
    public MeetingPage phone(URI app, String prefs, boolean landscape) {
        return person(app, prefs, null, new Browser.NewContextOptions()
                .setViewportSize(landscape ? 844 : 390, landscape ? 390 : 844)
                .setDeviceScaleFactor(3).setIsMobile(true).setHasTouch(true));
    }

    /** A person at a desktop of this size (CSS pixels). */
    public MeetingPage desktop(URI app, String prefs, int width, int height) {
        return person(app, prefs, null, new Browser.NewContextOptions().setViewportSize(width, height));
    }

    /**
     * Each person's browser says it comes from an address of its own (X-Forwarded-For, believed where the test
     * server trusts 127.0.0.1 as a proxy, like {@link Api}): the per-address throttles (20 registrations at once)
     * count people, not the whole suite's pages.
     */
    private MeetingPage person(URI app, String prefs, String deviceScript, Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options
                .setBaseURL(app.toString())
                .setExtraHTTPHeaders(java.util.Map.of("X-Forwarded-For", Api.randomPrivateAddress()))
                .setPermissions(List.of("camera", "microphone")));
        if (prefs != null) {
            context.addInitScript("localStorage.setItem('confab.prefs', " + quote(prefs) + ")");
        }
        if (deviceScript != null) {
            context.addInitScript(deviceScript);
        }
        contexts.add(context);
        return new MeetingPage(context.newPage());
    }

    /** A new account's host ("Hanna Host", small video), joined to a new meeting of its own. */
    public MeetingPage hostOfNewMeeting(URI app) {
        MeetingPage host = person(app, LOW_VIDEO).signUp("host_" + UUID.randomUUID().toString().substring(0, 8),
                "Hanna Host");
        host.newMeeting();
        return host.joinNow();
    }

    /** Closes every person's browser (the browser itself stays for the next test). */
    public void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    @Override
    public void close() {
        closeContexts();
        browser.close();
        playwright.close();
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
