package dev.confab.web;

import dev.confab.token.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api/v1}; resources and providers are discovered by CDI. */
@ApplicationPath("api/v1")
@DeclareRoles({Roles.USER, Roles.PARTICIPANT})
public class ConfabApplication extends Application {
}
