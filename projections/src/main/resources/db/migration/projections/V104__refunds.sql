-- Refunds per payment. A row is written from the merchant's refund event and from the wallet's
-- credit, which different processor segments may handle in either order, so every column but the
-- key may be filled by either side first.
CREATE TABLE refund (
    refund_id          TEXT PRIMARY KEY,
    payment_id         TEXT,
    merchant_id        TEXT,
    refund_number      TEXT,
    payer_id           TEXT,
    currency           TEXT,
    amount_minor       BIGINT,
    fee_refunded_minor BIGINT,
    refunded_at        TIMESTAMPTZ,
    credited_at        TIMESTAMPTZ
);
CREATE INDEX refund_payment_idx ON refund (payment_id, refunded_at, refund_id);
