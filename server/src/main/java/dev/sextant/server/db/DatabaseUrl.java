package dev.sextant.server.db;

import dev.sextant.server.config.ConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Parses the user-facing database URL into a JDBC URL with credentials. */
public record DatabaseUrl(Dialect dialect, String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url, Path dataDir) {
        if (url == null || url.isBlank()) {
            return sqliteFile(dataDir.resolve("sextant.db"));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return new DatabaseUrl(Dialect.SQLITE, url, null, null);
        }
        if (url.startsWith("jdbc:postgresql://")) {
            return new DatabaseUrl(Dialect.POSTGRES, url, null, null);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return fromPostgresUri(url);
        }
        throw new ConfigException("unsupported database URL '" + redact(url)
                + "': use postgresql://…, jdbc:postgresql://… or jdbc:sqlite:…");
    }

    public static DatabaseUrl sqliteFile(Path file) {
        return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    private static DatabaseUrl fromPostgresUri(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("malformed PostgreSQL URL: " + redact(url));
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
        return new DatabaseUrl(Dialect.POSTGRES, jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL without its password, for logs and error messages. */
    public static String redact(String url) {
        return url.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return dialect + " " + redact(jdbcUrl);
    }
}
