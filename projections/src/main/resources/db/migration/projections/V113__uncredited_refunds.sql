-- Reconciliation looks for refunds that have sat in refund clearing longer than a threshold; only
-- the few not yet credited are indexed.
CREATE INDEX refund_uncredited_idx ON refund (refunded_at) WHERE credited_at IS NULL;
