package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.statement.StatementQueries.LineView;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * A merchant's bill as CSV, in the column layout of WeChat Pay's daily trade bills: one row per
 * statement line, then a summary block. As in those bills every value is written with a leading
 * backtick, so spreadsheets keep long ids and order numbers as text instead of turning them into
 * rounded numbers or dates.
 *
 * <p>Per line: a payment settles its order amount and charges its fee; a refund settles nothing,
 * refunds its amount and gives back its fee share (a negative fee); campaign movements and payouts
 * settle their own amount. So settlement total − refund total − fee total is what the lines did to
 * the settlement balance.
 */
final class StatementCsv {

    static final List<String> HEADER = List.of("Trade time", "Merchant id", "Order number", "Ledger payment id",
            "User id", "Trade type", "Trade state", "Currency", "Settlement amount", "Refund id",
            "Merchant refund number", "Refund amount", "Refund state", "Product", "Fee", "Fee rate", "Order amount",
            "Requested refund amount");
    static final List<String> SUMMARY_HEADER = List.of("Total trades", "Total settlement amount",
            "Total refund amount", "Total fee");

    private final Writer out;
    private final StringBuilder buffer = new StringBuilder(256);
    /** The row's characters, handed to the writer without a String per row. */
    private char[] chars = new char[256];
    private final String merchantId;
    private final ZoneRules rules;
    /** The last fee rate formatted, and its basis points: a merchant's lines mostly share one. */
    private Integer lastFeeRateBp;
    private String lastFeeRate = "";
    private long count;
    private long settlementMinor;
    private long refundMinor;
    private long feeMinor;
    private String currency;

    StatementCsv(Writer out, String merchantId, ZoneId zone) {
        this.out = out;
        this.merchantId = merchantId;
        this.rules = zone.getRules();
    }

    void header() throws IOException {
        row(HEADER);
    }

    void line(LineView line) throws IOException {
        boolean payment = line.type().equals("payment");
        boolean refund = line.type().equals("refund");
        long settlement = payment ? line.gross().minor() : refund ? 0 : line.amount().minor();
        long refunded = refund ? line.gross().minor() : 0;
        Money orderAmount = payment ? line.gross() : line.orderAmount();
        int digits = line.amount().currency().getDefaultFractionDigits();
        currency = line.amount().currency().getCurrencyCode();
        count++;
        settlementMinor = Math.addExact(settlementMinor, settlement);
        refundMinor = Math.addExact(refundMinor, refunded);
        feeMinor = Math.addExact(feeMinor, line.fee().minor());
        // One row built in one buffer, times and amounts formatted by hand rather than through
        // DateTimeFormatter and BigDecimal: a bill can have a million rows.
        buffer.setLength(0);
        appendTime(line.occurredAt());
        append(merchantId, true);
        append(line.orderNumber(), true);
        append(line.paymentId(), true);
        append(line.payerRef(), true);
        append(line.type(), true);
        append(refund ? "REFUND" : "SUCCESS", true);
        append(currency, true);
        appendAmount(settlement, digits);
        append(line.refundId(), true);
        append(line.refundNumber(), true);
        appendAmount(refunded, digits);
        append(refund ? line.refundState().toUpperCase(java.util.Locale.ROOT) : "", true);
        append(line.description(), true);
        appendAmount(line.fee().minor(), digits);
        append(feeRate(line.feeRateBp()), true);
        if (orderAmount == null) {
            append("", true);
        } else {
            appendAmount(orderAmount.minor(), digits);
        }
        appendAmount(refunded, digits);
        buffer.append("\r\n");
        int length = buffer.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        buffer.getChars(0, length, chars, 0);
        out.write(chars, 0, length);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in the platform zone, as the first field of a row. */
    private void appendTime(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0,
                rules.getOffset(instant));
        buffer.append('`').append(time.getYear()).append('-');
        twoDigits(time.getMonthValue()).append('-');
        twoDigits(time.getDayOfMonth()).append(' ');
        twoDigits(time.getHour()).append(':');
        twoDigits(time.getMinute()).append(':');
        twoDigits(time.getSecond());
    }

    private StringBuilder twoDigits(int value) {
        return buffer.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** A minor-unit amount as a decimal with the currency's digits, e.g. -12 with 2 digits as -0.12. */
    private void appendAmount(long minor, int digits) {
        Money.appendDecimal(buffer.append(",`"), minor, digits);
    }

    private void append(String value, boolean separated) {
        if (separated) {
            buffer.append(',');
        }
        String text = value == null ? "" : value;
        if (needsQuotes(text)) {
            buffer.append(field(text));
        } else {
            buffer.append('`').append(text);
        }
    }

    /** The summary block: a blank row, its header, and the totals. */
    void summary(String fallbackCurrency) throws IOException {
        String code = currency == null ? fallbackCurrency : currency;
        out.write("\r\n");
        row(SUMMARY_HEADER);
        row(List.of(Long.toString(count), Money.of(settlementMinor, code).toDecimalString(),
                Money.of(refundMinor, code).toDecimalString(), Money.of(feeMinor, code).toDecimalString()));
    }

    private void row(List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(values.get(i)));
        }
        out.write("\r\n");
    }

    /** A value with the bill's leading backtick, quoted (RFC 4180) when it holds a comma, quote or line break. */
    static String field(String value) {
        String protectedValue = "`" + value;
        if (!needsQuotes(value)) {
            return protectedValue;
        }
        return '"' + protectedValue.replace("\"", "\"\"") + '"';
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private String feeRate(Integer basisPoints) {
        if (basisPoints == null) {
            return "";
        }
        if (!basisPoints.equals(lastFeeRateBp)) {
            lastFeeRate = new BigDecimal(basisPoints).movePointLeft(2).setScale(2) + "%";
            lastFeeRateBp = basisPoints;
        }
        return lastFeeRate;
    }
}
