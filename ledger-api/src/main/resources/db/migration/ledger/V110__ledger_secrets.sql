-- Secrets the ledger makes for itself when it runs with dev tokens (a demo or a test, never
-- production): the key that seals red-packet seeds, so every node on this database and every
-- restart opens the same seeds. In production the key comes from configuration and is never here.
CREATE TABLE dev_secret (
    name       TEXT        PRIMARY KEY,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What the first node sealed with its key, so a node started with another key (a typo, a rotation
-- half done) refuses to start instead of failing every lucky grab and expiry. Reveals nothing of
-- the key.
CREATE TABLE key_check (
    name       TEXT        PRIMARY KEY,
    sealed     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
