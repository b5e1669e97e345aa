-- The credit processors now place each event in the segment of the wallet it credits (before: of
-- the aggregate that recorded it). An event between two segments' positions could otherwise be
-- assigned to a segment already past it and never be handled. Every segment of these processors
-- therefore restarts from the lowest position among them: events handled before are handled again,
-- which changes nothing, as every credit, hold release and packet return is ignored by its target
-- when it has it already. Only gap-aware JSON tokens are moved; a fresh database has none.
UPDATE token_entry t
SET token = m.token, token_type = m.token_type
FROM (SELECT DISTINCT ON (processor_name) processor_name, token, token_type
      FROM token_entry
      WHERE processor_name IN ('refund-credits', 'red-packet-credits', 'payment-hold-release')
        AND token IS NOT NULL AND get_byte(token, 0) = 123
        AND token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken'
      ORDER BY processor_name, (convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT) m
WHERE t.processor_name = m.processor_name
  AND t.token_type = m.token_type;
