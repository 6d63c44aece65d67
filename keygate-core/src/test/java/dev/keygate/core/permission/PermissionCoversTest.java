package dev.keygate.core.permission;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples that the Javadoc of {@link Permission} and {@code docs/permissions.md} promise, one by one. */
class PermissionCoversTest {

    @ParameterizedTest(name = "{0} covers {1}")
    @CsvSource({
            // billing.*:read grants one or more further segments.
            "billing.*:read,          billing.invoices:read",
            "billing.*:read,          billing.invoices.lines:read",
            "billing.*:read,          billing.a.b.c.d:read",
            // billing.invoices:* grants any action on exactly that resource.
            "billing.invoices:*,      billing.invoices:read",
            "billing.invoices:*,      billing.invoices:write",
            "billing.invoices:*,      billing.invoices:delete",
            // *:* grants everything, patterns included.
            "*:*,                     billing:read",
            "*:*,                     billing.invoices.lines:write",
            "*:*,                     billing.*:read",
            "*:*,                     *:read",
            "*:*,                     *:*",
            "*:read,                  billing:read",
            "*:read,                  billing.invoices.lines:read",
            "*:read,                  billing.*:read",
            // A concrete permission covers itself.
            "billing.invoices:read,   billing.invoices:read",
            // Subsumption between patterns.
            "billing.*:read,          billing.invoices.*:read",
            "billing.*:*,             billing.invoices:*",
            "billing.*:*,             billing.*:read",
            "billing.invoices:*,      billing.invoices:*",
    })
    void coversWhenDocumentedGrantThenTrue(String granted, String requested) {
        assertThat(Permission.parse(granted).covers(Permission.parse(requested))).isTrue();
    }

    @ParameterizedTest(name = "{0} does not cover {1}")
    @CsvSource({
            // billing.*:read needs at least one segment after billing.
            "billing.*:read,          billing:read",
            "billing.*:read,          billing.invoices:write",
            "billing.*:read,          billingx.invoices:read",
            "billing.*:read,          shipping.invoices:read",
            "billing.*:read,          billing.*:*",
            "billing.*:read,          *:read",
            // billing.invoices:* is any action on that one resource, not below it.
            "billing.invoices:*,      billing.invoices.lines:read",
            "billing.invoices:*,      billing:read",
            "billing.invoices:*,      billing.*:read",
            // Concrete grants cover only themselves.
            "billing.invoices:read,   billing.invoices:write",
            "billing.invoices:read,   billing.invoices.lines:read",
            "billing.invoices:read,   billing:read",
            "billing.invoices:read,   billing.*:read",
            "billing.invoices:read,   billing.invoices:*",
            "billing:read,            billing.invoices:read",
            // A literal action never covers the wildcard action.
            "*:read,                  billing:*",
            "*:read,                  *:*",
            // Segments are whole: prefixes of a segment do not count.
            "billing.inv.*:read,      billing.invoices.lines:read",
            "billing.invoices.*:read, billing.*:read",
            "billing.invoices.*:read, billing.invoices:read",
    })
    void coversWhenNotGrantedThenFalse(String granted, String requested) {
        assertThat(Permission.parse(granted).covers(Permission.parse(requested))).isFalse();
    }
}
