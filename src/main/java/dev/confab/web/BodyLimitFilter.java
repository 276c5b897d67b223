package dev.confab.web;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses request bodies over {@code confab.http.max-body-bytes} with 413, declared or streamed. */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class BodyLimitFilter implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "confab.http.max-body-bytes", defaultValue = "16384")
    int maxBytes;

    @Override
    public void filter(ContainerRequestContext context) {
        if (context.getLength() > maxBytes) {
            context.abortWith(tooLarge());
            return;
        }
        context.setEntityStream(new LimitedInputStream(context.getEntityStream(), maxBytes));
    }

    private jakarta.ws.rs.core.Response tooLarge() {
        return Errors.response(413, "payload_too_large", "The request body is larger than " + maxBytes + " bytes");
    }

    /** Counts what is read and fails once the limit is passed (chunked bodies carry no length). */
    private final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            remaining -= n;
            if (remaining < 0) {
                throw new WebApplicationException(tooLarge());
            }
        }
    }
}
