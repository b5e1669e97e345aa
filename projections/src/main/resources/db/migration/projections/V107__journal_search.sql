-- The instalment-plan receivables as of any instant (the monthly report's receivables outstanding
-- at month end) and per plan (reconciliation) without scanning the whole journal. Partial, so
-- only receivable postings pay for it on the journal's hot insert path; the included columns let
-- both queries read the index alone.
CREATE INDEX journal_posting_receivable_idx ON journal_posting (currency, occurred_at)
    INCLUDE (account_id, amount_minor) WHERE account_type = 'bnpl_receivable';
