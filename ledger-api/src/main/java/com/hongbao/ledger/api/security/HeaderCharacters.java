package com.hongbao.ledger.api.security;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The firewall's header rules without regular expressions. Spring Security's
 * {@link StrictHttpFirewall} checks every header name and value each time the application reads
 * it, against {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (names) and the same with tab allowed
 * (values); with the bearer token among the headers read, that matching cost about 3% of a
 * statement request's CPU. These predicates accept exactly what those expressions accept
 * ({@code HeaderCharactersProperties} compares them with the firewall's own).
 */
public final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** A firewall with Spring Security's defaults and these header predicates. */
    public static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedValue);
        return firewall;
    }

    /** Every code point assigned and not a control character. */
    public static boolean allowedName(String name) {
        return assignedAndNotControl(name, false);
    }

    /** Every code point assigned and not a control character other than tab. */
    public static boolean allowedValue(String value) {
        return assignedAndNotControl(value, true);
    }

    private static boolean assignedAndNotControl(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) { // printable ASCII: all of a token, nearly all of any header
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
