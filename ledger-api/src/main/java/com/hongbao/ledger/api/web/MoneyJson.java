package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.bnpl.PlanStatus;
import com.hongbao.ledger.core.bnpl.PlanType;
import com.hongbao.ledger.core.bnpl.RepaymentSource;
import com.hongbao.ledger.core.packet.RedPacketKind;
import com.hongbao.ledger.core.payment.PaymentStatus;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * How domain values look in the API: money as {@code {"amount":"12.34","currency":"CNY"}} (a
 * decimal string, so no client parses it as a float), typed ids as plain strings, enums as
 * lower-case codes.
 */
public final class MoneyJson {

    private MoneyJson() {
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("ledger-api-values");
        module.addSerializer(Money.class, new ValueSerializer<>() {
            @Override
            public void serialize(Money money, JsonGenerator generator, SerializationContext context) {
                generator.writeStartObject();
                generator.writeStringProperty("amount", money.toDecimalString());
                generator.writeStringProperty("currency", money.currency().getCurrencyCode());
                generator.writeEndObject();
            }
        });
        module.addSerializer(UserId.class, toStringSerializer());
        module.addSerializer(WalletId.class, toStringSerializer());
        module.addSerializer(MerchantId.class, toStringSerializer());
        module.addSerializer(PaymentId.class, toStringSerializer());
        module.addSerializer(WithdrawalId.class, toStringSerializer());
        module.addSerializer(ClaimId.class, toStringSerializer());
        module.addSerializer(PacketId.class, toStringSerializer());
        module.addSerializer(CampaignId.class, toStringSerializer());
        module.addSerializer(RefundId.class, toStringSerializer());
        module.addSerializer(RedPacketKind.class, lowerCaseSerializer());
        module.addSerializer(PaymentStatus.class, lowerCaseSerializer());
        module.addSerializer(PlanStatus.class, lowerCaseSerializer());
        module.addSerializer(PlanType.class, lowerCaseSerializer());
        module.addSerializer(RepaymentSource.class, lowerCaseSerializer());
        module.addSerializer(CaptureMode.class, lowerCaseSerializer());
        return module;
    }

    private static <T> ValueSerializer<T> toStringSerializer() {
        return new ValueSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializationContext context) {
                generator.writeString(value.toString());
            }
        };
    }

    private static <T extends Enum<T>> ValueSerializer<T> lowerCaseSerializer() {
        return new ValueSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializationContext context) {
                generator.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        };
    }
}
