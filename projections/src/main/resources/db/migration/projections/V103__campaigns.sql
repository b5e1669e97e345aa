-- Brand campaigns and the packets they issued, for campaign pages, reports and the end-of-campaign sweep.
-- A packet's row is written from the packet's own events only (sent, grabbed, expired), which one
-- processor segment handles in order; the campaign's row from the campaign's events.
CREATE TABLE campaign (
    campaign_id                TEXT PRIMARY KEY,
    merchant_id                TEXT        NOT NULL,
    name                       TEXT        NOT NULL,
    currency                   TEXT        NOT NULL,
    budget_minor               BIGINT      NOT NULL,
    starts_at                  TIMESTAMPTZ NOT NULL,
    ends_at                    TIMESTAMPTZ NOT NULL,
    per_user_max_count         INT         NOT NULL,
    per_user_max_minor         BIGINT      NOT NULL,
    daily_max_minor            BIGINT      NOT NULL,
    fixed_minor                BIGINT,
    min_minor                  BIGINT,
    max_minor                  BIGINT,
    status                     TEXT        NOT NULL,
    remaining_minor            BIGINT      NOT NULL,
    returned_to_merchant_minor BIGINT      NOT NULL,
    returned_to_merchant_count INT         NOT NULL,
    created_at                 TIMESTAMPTZ NOT NULL,
    ended_at                   TIMESTAMPTZ,
    last_sequence              BIGINT      NOT NULL
);
CREATE INDEX campaign_merchant_idx ON campaign (merchant_id, created_at DESC);
CREATE INDEX campaign_active_end_idx ON campaign (ends_at) WHERE status = 'active';

CREATE TABLE campaign_packet (
    packet_id            TEXT PRIMARY KEY,
    campaign_id          TEXT        NOT NULL,
    user_id              TEXT        NOT NULL,
    amount_minor         BIGINT      NOT NULL,
    issued_at            TIMESTAMPTZ NOT NULL,
    claimed_at           TIMESTAMPTZ,
    expired_at           TIMESTAMPTZ
);
CREATE INDEX campaign_packet_campaign_idx ON campaign_packet (campaign_id, issued_at);
CREATE INDEX payment_payer_merchant_idx ON payment (payer_id, merchant_id, authorised_at);
