-- Axon's sequenced dead-letter queue on JDBC, with snake_case names (CreditsConfig maps Axon's
-- DeadLetterSchema to these). It parks a credit that cannot be applied now (a wallet at its maximum
-- balance, a wallet still contended after retries) in a sequence of its own wallet, so every other
-- wallet's credits keep flowing. Columns and types follow Axon's GenericDeadLetterTableFactory for
-- PostgreSQL (timestamps are ISO-8601 strings written by Axon), except the cause's message, which is
-- TEXT so that no exception's message can make parking fail.
CREATE TABLE dead_letter_entry (
    dead_letter_id      VARCHAR(255) NOT NULL,
    processing_group    VARCHAR(255) NOT NULL,
    sequence_identifier VARCHAR(255) NOT NULL,
    sequence_index      BIGINT       NOT NULL,
    message_type        VARCHAR(255) NOT NULL,
    event_identifier    VARCHAR(255) NOT NULL,
    time_stamp          VARCHAR(255) NOT NULL,
    payload_type        VARCHAR(255) NOT NULL,
    payload_revision    VARCHAR(255),
    payload             BYTEA        NOT NULL,
    meta_data           BYTEA,
    aggregate_type      VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number     BIGINT,
    token_type          VARCHAR(255),
    token               BYTEA,
    enqueued_at         VARCHAR(255) NOT NULL,
    last_touched        VARCHAR(255),
    processing_started  VARCHAR(255),
    cause_type          VARCHAR(255),
    cause_message       TEXT,
    diagnostics         BYTEA,
    CONSTRAINT dead_letter_entry_pk PRIMARY KEY (dead_letter_id),
    CONSTRAINT dead_letter_entry_sequence_uk UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group_idx ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence_idx ON dead_letter_entry (processing_group, sequence_identifier);
