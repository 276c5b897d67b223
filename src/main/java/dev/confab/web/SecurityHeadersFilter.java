package dev.confab.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Security headers on every response. The Content-Security-Policy allows scripts, styles and connections only
 * from Confab itself (no inline script, no eval), so an injected string cannot run; media may come from the
 * page's own streams. Invite links carry meeting codes, so no Referer leaves the site. Every API answer is
 * {@code Cache-Control: no-store}.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob: mediastream:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            // API answers carry tokens (login, join) or personal data: no cache, shared or private, may keep them
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }
}
