package dev.sextant.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC statement written with {@code :named} parameters, for hot paths where JDBI's per-value
 * argument lookup shows up in profiles. Values are set by name with their SQL type, so a null is
 * typed (PostgreSQL needs that inside expressions such as COALESCE).
 */
public final class NamedStatement implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");

    private final PreparedStatement statement;
    private final Map<String, int[]> positions;

    private NamedStatement(PreparedStatement statement, Map<String, int[]> positions) {
        this.statement = statement;
        this.positions = positions;
    }

    public static NamedStatement prepare(Connection connection, String sql) throws SQLException {
        Map<String, List<Integer>> found = new HashMap<>();
        Matcher m = NAME.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        int index = 0;
        while (m.find()) {
            found.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(++index);
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        Map<String, int[]> positions = new HashMap<>();
        found.forEach((name, list) -> positions.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
        return new NamedStatement(connection.prepareStatement(jdbc.toString()), positions);
    }

    public NamedStatement text(String name, String value) throws SQLException {
        return bind(name, value, Types.VARCHAR, statement::setString);
    }

    public NamedStatement bigint(String name, Long value) throws SQLException {
        return bind(name, value, Types.BIGINT, statement::setLong);
    }

    public NamedStatement integer(String name, Integer value) throws SQLException {
        return bind(name, value, Types.INTEGER, statement::setInt);
    }

    public NamedStatement real(String name, Double value) throws SQLException {
        return bind(name, value, Types.DOUBLE, statement::setDouble);
    }

    /** Epoch milliseconds, as every time column is stored. */
    public NamedStatement millis(String name, Instant value) throws SQLException {
        return bigint(name, value == null ? null : value.toEpochMilli());
    }

    public void addBatch() throws SQLException {
        statement.addBatch();
    }

    public void executeBatch() throws SQLException {
        statement.executeBatch();
    }

    private interface Setter<T> {
        void set(int index, T value) throws SQLException;
    }

    private <T> NamedStatement bind(String name, T value, int sqlType, Setter<T> setter) throws SQLException {
        for (int i : at(name)) {
            if (value == null) {
                statement.setNull(i, sqlType);
            } else {
                setter.set(i, value);
            }
        }
        return this;
    }

    private int[] at(String name) {
        int[] at = positions.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no parameter :" + name);
        }
        return at;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
