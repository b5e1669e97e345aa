-- Read models. Every table here is written by one processing group and can be emptied and
-- rebuilt by replaying the event store; nothing in them is a source of truth.

-- The journal: one row per posting, keyed by the id of the event it comes from and the
-- posting's position in that event, so a redelivered event inserts nothing. Rows are ordered by
-- when the movement happened, ties broken by event id and position.
CREATE TABLE journal_posting (
    event_id       VARCHAR(64)  NOT NULL,
    posting_index  SMALLINT     NOT NULL,
    account_id     VARCHAR(160) NOT NULL,
    account_type   VARCHAR(40)  NOT NULL,
    currency       CHAR(3)      NOT NULL,
    amount_minor   BIGINT       NOT NULL,
    movement_type  VARCHAR(40)  NOT NULL,
    reference      VARCHAR(160) NOT NULL,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (event_id, posting_index)
);
CREATE INDEX journal_posting_account_idx ON journal_posting (account_id, occurred_at DESC, event_id DESC, posting_index DESC);
CREATE INDEX journal_posting_time_idx ON journal_posting (occurred_at DESC, event_id DESC, posting_index DESC);
CREATE INDEX journal_posting_movement_idx ON journal_posting (movement_type, occurred_at DESC);

-- Current balance per account and currency: the sum of that account's journal postings,
-- maintained in the same transaction as the postings themselves.
CREATE TABLE account_balance (
    account_id     VARCHAR(160) NOT NULL,
    currency       CHAR(3)      NOT NULL,
    account_type   VARCHAR(40)  NOT NULL,
    balance_minor  BIGINT       NOT NULL,
    posting_count  BIGINT       NOT NULL,
    PRIMARY KEY (account_id, currency)
);
CREATE INDEX account_balance_type_idx ON account_balance (account_type, currency);

CREATE TABLE wallet (
    wallet_id      VARCHAR(100) PRIMARY KEY,
    owner_id       VARCHAR(100) NOT NULL,
    currency       CHAR(3)      NOT NULL,
    held_minor     BIGINT       NOT NULL,
    opened_at      TIMESTAMPTZ  NOT NULL,
    last_sequence  BIGINT       NOT NULL
);
CREATE INDEX wallet_owner_idx ON wallet (owner_id);

CREATE TABLE merchant (
    merchant_id           VARCHAR(100) PRIMARY KEY,
    name                  VARCHAR(200) NOT NULL,
    fee_rate_basis_points INTEGER      NOT NULL,
    settlement_currency   CHAR(3)      NOT NULL,
    onboarded_at          TIMESTAMPTZ  NOT NULL
);

CREATE TABLE payment (
    payment_id            VARCHAR(100) PRIMARY KEY,
    merchant_id           VARCHAR(100) NOT NULL,
    order_number          VARCHAR(64)  NOT NULL,
    wallet_id             VARCHAR(100) NOT NULL,
    payer_id              VARCHAR(100) NOT NULL,
    description           VARCHAR(256),
    currency              CHAR(3)      NOT NULL,
    status                VARCHAR(20)  NOT NULL,
    capture_mode          VARCHAR(20)  NOT NULL,
    authorised_minor      BIGINT       NOT NULL,
    captured_minor        BIGINT       NOT NULL,
    fee_minor             BIGINT       NOT NULL,
    released_minor        BIGINT       NOT NULL,
    fee_rate_basis_points INTEGER      NOT NULL,
    authorised_at         TIMESTAMPTZ  NOT NULL,
    expires_at            TIMESTAMPTZ  NOT NULL,
    settled_at            TIMESTAMPTZ,
    last_sequence         BIGINT       NOT NULL
);
CREATE UNIQUE INDEX payment_merchant_order_idx ON payment (merchant_id, order_number);
CREATE INDEX payment_merchant_idx ON payment (merchant_id, authorised_at DESC, payment_id DESC);
CREATE INDEX payment_open_expiry_idx ON payment (expires_at) WHERE status = 'authorised';
