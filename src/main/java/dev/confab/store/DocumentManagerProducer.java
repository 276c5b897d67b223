package dev.confab.store;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import org.eclipse.jnosql.communication.semistructured.DatabaseManager;
import org.eclipse.jnosql.databases.mongodb.communication.MongoDBDocumentConfiguration;
import org.eclipse.jnosql.mapping.Database;
import org.eclipse.jnosql.mapping.DatabaseType;

/**
 * Hands JNoSQL's {@code Template} a manager built on {@link Store}'s single {@code MongoClient}, so the
 * embedded store can be started first and one client serves the whole application. Replaces JNoSQL's default
 * producer, which would read the URL itself and open a client of its own.
 */
@ApplicationScoped
@Alternative
@Priority(Interceptor.Priority.APPLICATION + 100) // CDI 4.0 selects an alternative producer by its class's priority
public class DocumentManagerProducer {

    @Produces
    @ApplicationScoped
    @Database(DatabaseType.DOCUMENT)
    DatabaseManager documentManager(Store store) {
        return new MongoDBDocumentConfiguration().get(store.client()).apply(store.database().getName());
    }
}
