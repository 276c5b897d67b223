package dev.confab.sfu;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link Sfu} as this node drives it itself. The rest of Confab injects the plain {@code Sfu}: on a single node
 * the same one, in a cluster one that hands each meeting's requests to the node that drives its room.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface NodeLocal {
}
