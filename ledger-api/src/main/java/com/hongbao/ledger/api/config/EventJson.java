package com.hongbao.ledger.api.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.bnpl.InstalmentPlan;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.wallet.Wallet;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Function;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The stored form of events and snapshots: JSON through Axon's Jackson 2 serializer. Records
 * serialise by their components only (no {@code isZero()}-style derived properties), typed ids as
 * plain strings, instants as ISO-8601, snapshotted aggregates by their fields. The approval test
 * in {@code EventSchemaApprovalTest} pins the result.
 */
public final class EventJson {

    private EventJson() {
    }

    public static JacksonSerializer serializer() {
        return JacksonSerializer.builder()
                .objectMapper(objectMapper())
                .converter(new ChainingConverter(EventJson.class.getClassLoader()))
                .build();
    }

    static ObjectMapper objectMapper() {
        SimpleModule ids = new SimpleModule("ledger-ids");
        id(ids, UserId.class, UserId::new);
        id(ids, WalletId.class, WalletId::new);
        id(ids, MerchantId.class, MerchantId::new);
        id(ids, PaymentId.class, PaymentId::new);
        id(ids, WithdrawalId.class, WithdrawalId::new);
        id(ids, ClaimId.class, ClaimId::new);
        id(ids, PacketId.class, PacketId::new);
        id(ids, CampaignId.class, CampaignId::new);
        id(ids, RefundId.class, RefundId::new);
        key(ids, PaymentId.class, PaymentId::new);
        // Keys of the merchant's remembered refund numbers and the campaign's per-recipient caps.
        key(ids, RefundId.class, RefundId::new);
        key(ids, UserId.class, UserId::new);
        SimpleModule instants = new SimpleModule("ledger-instants");
        instants.addDeserializer(Instant.class, new FastInstantDeserializer());
        return JsonMapper.builder()
                // Snapshots store an aggregate's own fields; the core's aggregates have no Jackson annotations.
                .addMixIn(Wallet.class, AggregateFields.class)
                .addMixIn(InstalmentPlan.class, AggregateFields.class)
                .addMixIn(Merchant.class, AggregateFields.class)
                .addMixIn(Campaign.class, AggregateFields.class)
                .addModule(new JavaTimeModule())
                .addModule(instants)
                .addModule(ids)
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Old events must stay readable when a later version adds a field.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Serialise by fields only: aggregates keep their state in private fields and expose no getters. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class AggregateFields {
    }

    /**
     * Instants as {@link Instant#toString()} writes them, read by {@link IsoInstants}; any other
     * form goes to the Java time module's deserializer.
     */
    private static final class FastInstantDeserializer extends StdDeserializer<Instant> {

        private FastInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = IsoInstants.parseOrNull(parser.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    private static <T> void key(SimpleModule module, Class<T> type, Function<String, T> factory) {
        module.addKeyDeserializer(type, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext context) {
                return factory.apply(key);
            }
        });
    }

    private static <T> void id(SimpleModule module, Class<T> type, Function<String, T> factory) {
        module.addSerializer(type, ToStringSerializer.instance);
        module.addDeserializer(type, new StdDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return factory.apply(parser.getValueAsString());
            }
        });
    }
}
