-- An account's balance is a sum of postings, and each posting fits a BIGINT, but a sum over a
-- platform account's lifetime (every top-up ever, say) need not: adding past 2^63 - 1 failed the
-- ledger processor's batch for good and halted every balance behind it. NUMERIC does not overflow.
ALTER TABLE account_balance
    ALTER COLUMN balance_minor TYPE NUMERIC(38, 0),
    ALTER COLUMN credited_minor TYPE NUMERIC(38, 0);
