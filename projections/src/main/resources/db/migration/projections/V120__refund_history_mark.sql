-- How far the refunds read model reaches for each merchant: it holds every refund the merchant
-- recorded up to and including the merchant's event number through_sequence (the aggregate
-- sequence number), and none after it, since a merchant's events are handled one at a time and in
-- order. A merchant that forgot its older refunds decides a refund on this read model only when it
-- reaches past everything forgotten (ADR 17).
CREATE TABLE refund_history_mark (
    merchant_id      TEXT PRIMARY KEY,
    through_sequence BIGINT NOT NULL
);

-- Refunds the read model held before this table existed: the latest of each merchant's refund
-- events that has its row. Every earlier refund of that merchant has its row too (same order).
INSERT INTO refund_history_mark (merchant_id, through_sequence)
SELECT e.aggregate_identifier, MAX(e.sequence_number)
FROM event_entry e
JOIN refund r ON r.refund_id = convert_from(e.payload, 'UTF8')::jsonb ->> 'refundId'
    AND r.merchant_id = e.aggregate_identifier
WHERE e.payload_type = 'com.hongbao.ledger.core.refund.RefundEvent$MerchantRefundedPayment'
GROUP BY e.aggregate_identifier
ON CONFLICT (merchant_id) DO NOTHING;
