package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.SplittableRandom;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

/**
 * The fast instant reader agrees with {@code java.time} on every instant the store can hold, in
 * both forms it holds them (payloads: {@link Instant#toString()}; {@code time_stamp}: Axon's
 * millisecond format), and declines, rather than misreads, anything else.
 */
class IsoInstantsTest {

    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void reads_every_instant_as_java_time_does() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(FIRST, LAST + 1);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            String payloadForm = instant.toString();
            assertThat(IsoInstants.parseOrNull(payloadForm)).as(payloadForm).isEqualTo(Instant.parse(payloadForm));
            String storeForm = DateTimeUtils.formatInstant(instant);
            assertThat(IsoInstants.parseOrNull(storeForm)).as(storeForm).isEqualTo(DateTimeUtils.parseInstant(storeForm));
        }
    }

    @Test
    void declines_other_forms_and_invalid_dates_so_the_general_parser_decides() {
        for (String text : new String[] {"2026-11-22T10:15:30+08:00", "2026-11-22 10:15:30Z", "2026-02-29T10:15:30Z",
                "2026-11-31T10:15:30Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:30Z", "2026-11-22T10:15:60Z",
                "2026-11-22T10:15:30.Z", "2026-11-22T10:15:30.1234567890Z", "2026-11-22T10:15:3xZ",
                "+12026-11-22T10:15:30Z", "2026-13-22T10:15:30Z", "2026-00-22T10:15:30Z", "2026-11-00T10:15:30Z",
                "2026-11-22t10:15:30z", ""}) {
            assertThat(IsoInstants.parseOrNull(text)).as(text).isNull();
        }
        assertThat(IsoInstants.parseOrNull("2024-02-29T23:59:59.999999999Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
    }

    @Test
    void event_json_reads_instants_in_any_form_the_java_time_module_accepts() throws Exception {
        ObjectMapper json = EventJson.objectMapper();
        assertThat(json.readValue("\"2026-11-22T02:15:30.123456Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-22T02:15:30.123456Z"));
        assertThat(json.readValue("\"2026-11-22T10:15:30+08:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-22T02:15:30Z"));
        assertThat(json.readValue("1763777730.5", Instant.class)).isEqualTo(Instant.parse("2025-11-22T02:15:30.500Z"));
    }
}
