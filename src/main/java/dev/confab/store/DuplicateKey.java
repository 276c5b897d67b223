package dev.confab.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;

/** Recognises MongoDB's duplicate-key refusal under whatever JNoSQL wraps it in. */
public final class DuplicateKey {

    private DuplicateKey() {
    }

    /** Runs the insert; false when the store refused it because its key is taken (any other failure is thrown). */
    public static boolean unlessTaken(Runnable insert) {
        try {
            insert.run();
            return true;
        } catch (RuntimeException e) {
            if (isCause(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code e}, or one of its causes, is a write refused because the key is taken. */
    private static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoWriteException write
                    && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }
}
