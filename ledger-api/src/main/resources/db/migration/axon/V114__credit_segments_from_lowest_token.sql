-- The credit processors now place each event in the segment of the wallet it credits (before: of
-- the aggregate that recorded it). An event between two segments' positions could otherwise be
-- assigned to a segment already past it and never be handled. Every segment of these processors
-- therefore restarts from the lower bound of all of them, as Axon's GapAwareTrackingToken.lowerBound
-- merges two tokens: the lowest index, and every segment's gaps below it (an event a segment had
-- not seen yet because its transaction was still open when the segment passed its position; another
-- segment's lower index alone would skip it). Events handled before are handled again, which
-- changes nothing, as every credit, hold release and packet return is ignored by its target when it
-- has it already. Only gap-aware JSON tokens are moved; a fresh database has none. Stop every node
-- before upgrading: a node of the previous version places events in segments the old way.
WITH tokens AS (
    SELECT processor_name, convert_from(token, 'UTF8')::jsonb AS t
    FROM token_entry
    WHERE processor_name IN ('refund-credits', 'red-packet-credits', 'payment-hold-release')
      AND token IS NOT NULL AND get_byte(token, 0) = 123
      AND token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken'),
lowest AS (
    SELECT processor_name, MIN((t ->> 'index')::BIGINT) AS lowest_index
    FROM tokens
    GROUP BY processor_name),
merged AS (
    SELECT l.processor_name, l.lowest_index,
           COALESCE((SELECT jsonb_agg(DISTINCT gap.value ORDER BY gap.value)
                     FROM tokens k, jsonb_array_elements(COALESCE(k.t -> 'gaps', '[]'::jsonb)) AS gap
                     WHERE k.processor_name = l.processor_name
                       AND gap.value::text::BIGINT < l.lowest_index), '[]'::jsonb) AS gaps
    FROM lowest l)
UPDATE token_entry e
SET token = convert_to(jsonb_build_object('index', m.lowest_index, 'gaps', m.gaps)::text, 'UTF8')
FROM merged m
WHERE e.processor_name = m.processor_name
  AND e.token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken'
  AND e.token IS NOT NULL AND get_byte(e.token, 0) = 123;
