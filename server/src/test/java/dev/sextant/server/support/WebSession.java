package dev.sextant.server.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A logged-in browser session driven over plain HTTP (cookie + CSRF token), for API-level tests. */
public final class WebSession {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile("^([^=]+)=([^;]*)");

    private final String baseUrl;
    private final String sessionCookie;
    private final String csrf;

    private WebSession(String baseUrl, String sessionCookie, String csrf) {
        this.baseUrl = baseUrl;
        this.sessionCookie = sessionCookie;
        this.csrf = csrf;
    }

    public static WebSession login(String baseUrl, String email, String password) {
        Http http = new Http(baseUrl);
        Http.Response form = http.get("/login");
        String loginCsrf = csrfIn(form.body());
        String loginCookie = cookie(form, "sextant_login_csrf");
        Http.Response response = http.withHeader("Cookie", "sextant_login_csrf=" + loginCookie)
                .send("POST", "/login", "application/x-www-form-urlencoded",
                        form(Map.of("email", email, "password", password, "_csrf", loginCsrf, "next", "/projects")));
        if (response.status() != 302) {
            throw new AssertionError("login failed: " + response.status());
        }
        String session = cookie(response, "sextant_session");
        Http.Response projects = http.withHeader("Cookie", "sextant_session=" + session).get("/projects");
        return new WebSession(baseUrl, session, csrfIn(projects.body()));
    }

    /** Client with the session cookie but without the CSRF header. */
    public Http withoutCsrf() {
        return new Http(baseUrl).withHeader("Cookie", "sextant_session=" + sessionCookie);
    }

    /** Client with the session cookie and the CSRF header, as htmx sends it. */
    public Http http() {
        return withoutCsrf().withHeader("X-CSRF-Token", csrf);
    }

    public String csrf() {
        return csrf;
    }

    public static byte[] form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
    }

    static String csrfIn(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in page");
        }
        return m.group(1);
    }

    static String cookie(Http.Response response, String name) {
        for (Map.Entry<String, java.util.List<String>> header : response.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("set-cookie")) {
                continue;
            }
            for (String value : header.getValue()) {
                Matcher m = COOKIE.matcher(value);
                if (m.find() && m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
        }
        throw new AssertionError("no cookie " + name + " in response " + response.status());
    }
}
