-- Merchant statements: one line per posting on a merchant's settlement account, and per merchant
-- and business day the totals of its lines. A line belongs to the business day (platform zone) it
-- happened on, unless that day had already closed when the event was recorded: then it is an
-- adjustment on the day it was recorded. Both are functions of the event alone, so a replay
-- writes the same rows; the day totals grow only by lines newly inserted.
CREATE TABLE statement_line (
    event_id        VARCHAR(64)  NOT NULL,
    posting_index   SMALLINT     NOT NULL,
    merchant_id     VARCHAR(100) NOT NULL,
    business_day    DATE         NOT NULL,
    adjustment      BOOLEAN      NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL,
    line_type       VARCHAR(30)  NOT NULL,
    currency        CHAR(3)      NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    gross_minor     BIGINT       NOT NULL,
    fee_minor       BIGINT       NOT NULL,
    fee_rate_bp     INTEGER,
    payment_id      VARCHAR(100),
    order_number    VARCHAR(64),
    payer_ref       VARCHAR(32),
    refund_id       VARCHAR(100),
    refund_number   VARCHAR(64),
    reference       VARCHAR(160) NOT NULL,
    PRIMARY KEY (event_id, posting_index)
);
CREATE INDEX statement_line_day_idx ON statement_line (merchant_id, business_day, occurred_at, event_id, posting_index);

CREATE TABLE statement_day (
    merchant_id        VARCHAR(100) NOT NULL,
    business_day       DATE         NOT NULL,
    currency           CHAR(3)      NOT NULL,
    lines              BIGINT       NOT NULL,
    net_minor          BIGINT       NOT NULL,
    payments_count     BIGINT       NOT NULL,
    payments_minor     BIGINT       NOT NULL,
    refunds_count      BIGINT       NOT NULL,
    refunds_minor      BIGINT       NOT NULL,
    fees_minor         BIGINT       NOT NULL,
    campaign_minor     BIGINT       NOT NULL,
    payouts_count      BIGINT       NOT NULL,
    payouts_minor      BIGINT       NOT NULL,
    adjustments_count  BIGINT       NOT NULL,
    adjustments_minor  BIGINT       NOT NULL,
    PRIMARY KEY (merchant_id, business_day, currency)
);

-- Settlements as the merchant's aggregate decided them (day, net, carried, payout).
-- cumulative_net_minor: what the statements up to the day moved (payouts aside); a settlement
-- covers the part no earlier one did, so a line that reached a settled day late is settled next.
CREATE TABLE settlement (
    merchant_id   VARCHAR(100) NOT NULL,
    business_day  DATE         NOT NULL,
    currency      CHAR(3)      NOT NULL,
    net_minor     BIGINT       NOT NULL,
    cumulative_net_minor BIGINT NOT NULL,
    carried_in_minor  BIGINT   NOT NULL,
    payout_minor  BIGINT       NOT NULL,
    carried_out_minor BIGINT   NOT NULL,
    held          BOOLEAN      NOT NULL,
    settled_at    TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (merchant_id, business_day)
);

-- Whether finance holds a merchant's payouts (absent: not held), and what a release left carried
-- (it changes the carried amount between settlements).
CREATE TABLE payout_hold (
    merchant_id VARCHAR(100) PRIMARY KEY,
    held        BOOLEAN      NOT NULL,
    carried_out_minor BIGINT NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL
);
