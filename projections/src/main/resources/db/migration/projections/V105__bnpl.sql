-- Buy-now-pay-later plans, their instalments and the buyers' credit lines. Every plan event
-- carries the plan's status, what is owed, its next review instant and the instalments it changed
-- as they are afterwards, so rows are overwritten, never incremented.
CREATE TABLE bnpl_plan (
    plan_id            TEXT PRIMARY KEY,
    wallet_id          TEXT        NOT NULL,
    buyer_id           TEXT        NOT NULL,
    merchant_id        TEXT        NOT NULL,
    order_number       TEXT        NOT NULL,
    plan_type          TEXT        NOT NULL,
    currency           CHAR(3)     NOT NULL,
    order_minor        BIGINT      NOT NULL,
    fee_basis_points   INT         NOT NULL,
    fee_minor          BIGINT      NOT NULL,
    total_minor        BIGINT      NOT NULL,
    late_fee_minor     BIGINT      NOT NULL,
    grace_days         INT         NOT NULL,
    late_fee_cap_minor BIGINT      NOT NULL,
    default_after_days INT         NOT NULL,
    status             TEXT        NOT NULL,
    outstanding_minor  BIGINT      NOT NULL,
    next_review_at     TIMESTAMPTZ,
    checked_out_at     TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    last_sequence      BIGINT      NOT NULL
);
CREATE INDEX bnpl_plan_review_idx ON bnpl_plan (next_review_at, plan_id) WHERE next_review_at IS NOT NULL;
CREATE INDEX bnpl_plan_buyer_idx ON bnpl_plan (buyer_id, checked_out_at DESC, plan_id DESC);
CREATE INDEX bnpl_plan_status_idx ON bnpl_plan (status, checked_out_at DESC, plan_id DESC);

CREATE TABLE bnpl_instalment (
    plan_id           TEXT    NOT NULL,
    number            INT     NOT NULL,
    due_date          DATE    NOT NULL,
    amount_minor      BIGINT  NOT NULL,
    late_fee_minor    BIGINT  NOT NULL,
    paid_minor        BIGINT  NOT NULL,
    reduced_minor     BIGINT  NOT NULL,
    written_off_minor BIGINT  NOT NULL,
    overdue           BOOLEAN NOT NULL,
    owed_minor        BIGINT GENERATED ALWAYS AS
        (amount_minor + late_fee_minor - paid_minor - reduced_minor - written_off_minor) STORED,
    PRIMARY KEY (plan_id, number)
);
CREATE INDEX bnpl_instalment_owed_idx ON bnpl_instalment (due_date) WHERE owed_minor > 0;

-- Credit lines finance set (a buyer without a row has the configured default limit), and
-- credit frozen by a default.
CREATE TABLE bnpl_credit_line (
    wallet_id   TEXT PRIMARY KEY,
    buyer_id    TEXT    NOT NULL,
    currency    CHAR(3) NOT NULL,
    limit_minor BIGINT,
    frozen      BOOLEAN NOT NULL
);
CREATE INDEX bnpl_credit_line_buyer_idx ON bnpl_credit_line (buyer_id);
