-- Red packets: one row per packet, its members (who may see it) and the shares taken.
CREATE TABLE red_packet (
    packet_id          TEXT PRIMARY KEY,
    -- The sending user; null for a packet a campaign issued (campaign_id names it).
    sender_id          TEXT,
    campaign_id        TEXT,
    kind               TEXT        NOT NULL,
    currency           TEXT        NOT NULL,
    total_minor        BIGINT      NOT NULL,
    shares             INT         NOT NULL,
    share_amount_minor BIGINT,
    recipient_id       TEXT,
    greeting           TEXT        NOT NULL,
    seed_commitment    TEXT,
    -- Written only when the packet is emptied or expires: until then the draws stay secret.
    seed               TEXT,
    min_share_minor    BIGINT      NOT NULL,
    max_share_minor    BIGINT      NOT NULL,
    status             TEXT        NOT NULL,
    grabbed_count      INT         NOT NULL,
    grabbed_minor      BIGINT      NOT NULL,
    refunded_minor     BIGINT      NOT NULL,
    best_luck_id       TEXT,
    best_luck_minor    BIGINT,
    sent_at            TIMESTAMPTZ NOT NULL,
    expires_at         TIMESTAMPTZ NOT NULL,
    finished_at        TIMESTAMPTZ,
    last_sequence      BIGINT      NOT NULL
);
CREATE INDEX red_packet_sender_idx ON red_packet (sender_id, sent_at DESC, packet_id DESC);
CREATE INDEX red_packet_open_expiry_idx ON red_packet (expires_at) WHERE status = 'open';

CREATE TABLE red_packet_member (
    packet_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    PRIMARY KEY (packet_id, user_id)
);

CREATE TABLE red_packet_grab (
    packet_id    TEXT        NOT NULL,
    position     INT         NOT NULL,
    grabber_id   TEXT        NOT NULL,
    amount_minor BIGINT      NOT NULL,
    grabbed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (packet_id, position),
    UNIQUE (packet_id, grabber_id)
);
CREATE INDEX red_packet_grab_grabber_idx ON red_packet_grab (grabber_id, grabbed_at DESC, packet_id DESC);
