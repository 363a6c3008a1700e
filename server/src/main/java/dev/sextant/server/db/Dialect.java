package dev.sextant.server.db;

/** The two supported databases; SQL that differs between them branches on this. */
public enum Dialect {
    SQLITE, POSTGRES;

    public String migrationFolder() {
        return this == SQLITE ? "sqlite" : "postgres";
    }
}
