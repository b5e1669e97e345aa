package com.hongbao.ledger.projections.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Keyset pages of what is due, for the read models' due lists (see {@link Due}). */
public final class Dues {

    private static final RowMapper<Due> ROW = (rs, row) -> new Due(rs.getTimestamp("due_at").toInstant(),
            rs.getString("due_key"), rs.getString("due_id"));

    private Dues() {
    }

    /**
     * One page of what is due at {@code now}, after {@code after} (null: from the first), ordered by
     * {@code (at, key)}. {@code select} names its columns {@code due_at}, {@code due_key} and
     * {@code due_id} and ends in a {@code WHERE} whose one parameter is the instant; {@code at} and
     * {@code key} are the columns the first two come from, best the columns of an index. All three
     * are SQL written in this code base, never anything a request carries.
     */
    public static List<Due> page(JdbcTemplate jdbc, String select, String at, String key, Instant now, Due after,
                                 int limit) {
        String order = " ORDER BY " + at + ", " + key + " LIMIT ?";
        if (after == null) {
            return jdbc.query(select + order, ROW, Timestamp.from(now), limit);
        }
        return jdbc.query(select + " AND (" + at + ", " + key + ") > (?, ?)" + order, ROW,
                Timestamp.from(now), Timestamp.from(after.at()), after.key(), limit);
    }
}
