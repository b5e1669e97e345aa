-- Secrets the ledger makes for itself when it runs with dev tokens (a demo or a test, never
-- production): the key that seals red-packet seeds, so every node on this database and every
-- restart opens the same seeds. In production the key comes from configuration and is never here.
CREATE TABLE dev_secret (
    name       TEXT        PRIMARY KEY,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
