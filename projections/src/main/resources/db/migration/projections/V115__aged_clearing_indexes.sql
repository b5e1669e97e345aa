-- Reconciliation's aged_clearing check (read every ledger.credits.aged-refresh-interval on each
-- node) looks for settled manual payments with a released part whose release never reached the
-- journal. Without these it read every payment and, per payment, every release posting; with
-- them it reads only manual payments with a released part, and finds each one's release by its
-- reference.
CREATE INDEX payment_released_hold_idx ON payment (payment_id) WHERE capture_mode = 'manual' AND released_minor > 0;
CREATE INDEX journal_posting_release_reference_idx ON journal_posting (reference)
    WHERE movement_type = 'authorisation_release';
