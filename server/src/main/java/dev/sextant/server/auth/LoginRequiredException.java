package dev.sextant.server.auth;

/** A browser page was requested without a valid session: answered with a redirect to the login page. */
public final class LoginRequiredException extends RuntimeException {
    public LoginRequiredException() {
        super("login required", null, false, false);
    }
}
