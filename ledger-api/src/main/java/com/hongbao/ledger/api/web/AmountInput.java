package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.Money;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * An amount exactly as the client wrote it: a JSON number ({@code 12.34}) or a decimal string
 * ({@code "12.34"}). The raw text is kept, never converted to a binary floating-point value,
 * and is parsed only by {@link AmountParser}, which refuses exponents and oversized input
 * before doing any arithmetic.
 */
@JsonDeserialize(using = AmountInput.Deserializer.class)
public record AmountInput(String text, boolean wellTyped) {

    public Money toMoney(String currencyCode) {
        if (!wellTyped) {
            throw new LedgerRejection("invalid_amount", "amount must be a number or a decimal string");
        }
        return AmountParser.positive(text, AmountParser.currency(currencyCode));
    }

    /** Zero or more, as a limit may be; otherwise checked exactly as {@link #toMoney}. */
    public Money toNonNegativeMoney(String currencyCode) {
        if (!wellTyped) {
            throw new LedgerRejection("invalid_amount", "amount must be a number or a decimal string");
        }
        return AmountParser.nonNegative(text, AmountParser.currency(currencyCode));
    }

    @Override
    public String toString() {
        return text;
    }

    static final class Deserializer extends ValueDeserializer<AmountInput> {
        @Override
        public AmountInput deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                    || token == JsonToken.VALUE_STRING) {
                return new AmountInput(parser.getText(), true);
            }
            parser.skipChildren();
            return new AmountInput(token == null ? "" : token.name(), false);
        }
    }
}
