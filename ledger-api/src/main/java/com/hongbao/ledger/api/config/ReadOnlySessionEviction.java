package com.hongbao.ledger.api.config;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection whose session is read-only (SQLState 25006)
 * besides those it drops itself (connection exceptions, an administrator shutdown). A database
 * made read-only ({@code default_transaction_read_only}) keeps every session opened meanwhile
 * read-only after it is made writable again; without this, such pooled connections would refuse
 * every write until the pool retired them, half an hour later.
 */
public class ReadOnlySessionEviction implements SQLExceptionOverride {

    private static final String READ_ONLY_SQL_TRANSACTION = "25006";

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return READ_ONLY_SQL_TRANSACTION.equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
