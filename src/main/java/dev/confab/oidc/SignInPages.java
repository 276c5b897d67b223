package dev.confab.oidc;

/**
 * The page a failed company sign-in shows: what happened in plain words, the code and detail for whoever helps
 * (the administrator reads the same in the log), and a way to try again. No script (the CSP allows none inline).
 */
final class SignInPages {

    private SignInPages() {
    }

    static String error(SignInFailure failure) {
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign-in failed · Confab</title><link rel="stylesheet" href="/css/confab.css"></head>
                <body><div class="page"><header class="page-header"><a href="/" class="brand">Confab</a></header>
                <main class="page-main"><section class="card message" data-screen="sign-in-failed">
                <h1>You are not signed in</h1>
                <p>%s</p>
                <p class="hint">Error <code data-error="%s">%s</code>: %s</p>
                <div class="actions"><a class="button primary" href="/signin">Try again</a>
                <a class="button" href="/">Go to the start page</a></div>
                </section></main></div></body></html>
                """.formatted(escape(failure.getMessage()), escape(failure.code()), escape(failure.code()),
                escape(failure.detail()));
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
