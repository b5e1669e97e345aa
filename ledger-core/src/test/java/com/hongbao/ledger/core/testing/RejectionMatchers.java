package com.hongbao.ledger.core.testing;

import com.hongbao.ledger.core.LedgerRejection;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/**
 * Hamcrest matchers for the failures of a command, for {@code AggregateTestFixture}'s
 * {@code expectException(Matcher)}: a business rejection is told apart by its type and its stable
 * code, which clients rely on; a programmer error by its type, and by not being a rejection.
 */
public final class RejectionMatchers {

    private RejectionMatchers() {
    }

    /** A business rejection of this type whose {@link LedgerRejection#code()} is {@code code}. */
    public static Matcher<Throwable> rejectedWith(Class<? extends LedgerRejection> type, String code) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable failure, Description mismatch) {
                if (!type.isInstance(failure)) {
                    mismatch.appendText("was ").appendValue(failure);
                    return false;
                }
                String actualCode = ((LedgerRejection) failure).code();
                if (!code.equals(actualCode)) {
                    mismatch.appendText("had code ").appendValue(actualCode);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a ").appendText(type.getSimpleName())
                        .appendText(" with code ").appendValue(code);
            }
        };
    }

    /** A programmer error of this type: an ordinary exception that fails loudly, not a business rejection. */
    public static Matcher<Throwable> programmerError(Class<? extends RuntimeException> type) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable failure, Description mismatch) {
                if (!type.isInstance(failure) || failure instanceof LedgerRejection) {
                    mismatch.appendText("was ").appendValue(failure);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a ").appendText(type.getSimpleName()).appendText(" that is not a rejection");
            }
        };
    }
}
