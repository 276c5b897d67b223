package dev.confab.store;

import jakarta.nosql.Entity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfabEntitiesTest {

    /** Every compiled Confab class marked {@code @Entity} is in the list JNoSQL gets, and nothing else is. */
    @Test
    void listsExactlyTheClassesMarkedAsEntities() throws IOException, URISyntaxException {
        Path classes = Path.of(ConfabEntities.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> marked;
        try (Stream<Path> files = Files.walk(classes)) {
            marked = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(ConfabEntitiesTest::load)
                    .filter(c -> c.isAnnotationPresent(Entity.class))
                    .collect(Collectors.toSet());
        }
        assertEquals(6, marked.size(), "Confab's entities: " + marked);
        assertEquals(marked, new ConfabEntities().entities());
    }

    @Test
    void isTheScannerThatTheServiceLoaderFindsFirst() {
        assertEquals(ConfabEntities.class,
                java.util.ServiceLoader.load(org.eclipse.jnosql.mapping.metadata.ClassScanner.class).findFirst()
                        .orElseThrow().getClass());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ConfabEntitiesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
