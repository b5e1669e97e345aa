-- What each account was ever credited (the sum of its positive postings). A merchant's debits are
-- decided against it: credits seen in the journal, less the debits the merchant itself made.
ALTER TABLE account_balance ADD COLUMN credited_minor BIGINT NOT NULL DEFAULT 0;
UPDATE account_balance b SET credited_minor = COALESCE((SELECT SUM(p.amount_minor) FROM journal_posting p
    WHERE p.account_id = b.account_id AND p.currency = b.currency AND p.amount_minor > 0), 0);
