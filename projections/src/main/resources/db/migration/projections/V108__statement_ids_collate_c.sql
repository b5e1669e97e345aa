-- Statement lines are keyed and ordered by ids, never by words: compare them byte by byte ("C").
-- Under a linguistic collation (the database default, e.g. C.UTF-8 or en_US.UTF-8) every index
-- comparison goes through strcoll and cannot use abbreviated keys; with "C" the primary key builds
-- in less than half the time (1M lines: 1.9 s to 0.8 s), which the statements rebuild and every
-- insert pay. The ids are ASCII (letters, digits, '_', '.', '-'), so their order is unchanged.
ALTER TABLE statement_line
    ALTER COLUMN event_id TYPE VARCHAR(64) COLLATE "C",
    ALTER COLUMN merchant_id TYPE VARCHAR(100) COLLATE "C";
