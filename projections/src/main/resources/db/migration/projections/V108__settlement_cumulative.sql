-- What the statements up to each settled day moved (payouts aside): a settlement covers the part
-- no earlier one did, so a line that reached a settled day late is settled with the next one.
ALTER TABLE settlement ADD COLUMN cumulative_net_minor BIGINT NOT NULL DEFAULT 0;
-- What a release of held payouts left carried (it changes the carried amount between settlements).
ALTER TABLE payout_hold ADD COLUMN carried_out_minor BIGINT NOT NULL DEFAULT 0;
