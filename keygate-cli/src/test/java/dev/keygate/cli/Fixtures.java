package dev.keygate.cli;

/** Canned API answers, as {@code docs/api.md} shows them. */
final class Fixtures {

    static final String SECRET = "kg_live_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210";

    static final String ROLE = "{\"name\":\"billing-reader\",\"description\":\"Reads invoices\","
            + "\"permissions\":[\"billing.invoices:read\",\"billing.refunds:read\"],"
            + "\"created_at\":\"2026-11-22T09:15:00Z\",\"updated_at\":\"2026-11-22T10:00:00Z\"}";

    static final String ROLE_OPS = "{\"name\":\"ops\",\"description\":\"\",\"permissions\":[\"keygate.tokens:read\"],"
            + "\"created_at\":\"2026-11-22T09:15:00Z\",\"updated_at\":\"2026-11-22T09:15:00Z\"}";

    static final String PRINCIPAL = "{\"name\":\"billing-svc\",\"kind\":\"service\",\"description\":\"Billing\","
            + "\"metadata\":{\"team\":\"payments\"},\"created_at\":\"2026-11-22T09:15:00Z\"}";

    static final String TOKEN = "{\"id\":\"tok_4Jd8kq0AbCdEfGhIjKlM\",\"principal\":\"billing-svc\","
            + "\"roles\":[\"billing-reader\"],\"environment\":\"live\",\"name\":\"ci\",\"status\":\"active\","
            + "\"created_at\":\"2026-11-22T09:15:00Z\",\"created_by\":\"tok_admin0000000000000\","
            + "\"expires_at\":\"2026-11-23T09:15:00Z\"}";

    static final String TOKEN_CREATED = TOKEN.substring(0, TOKEN.length() - 1) + ",\"token\":\"" + SECRET + "\"}";

    static final String VALID = "{\"valid\":true,\"allowed\":true,\"code\":\"VALID\",\"token_id\":\"tok_1\","
            + "\"principal\":\"billing-svc\",\"roles\":[\"billing-reader\"],\"permissions\":[\"billing.invoices:read\"],"
            + "\"environment\":\"live\",\"expires_at\":\"2026-11-23T09:15:00Z\"}";

    static final String FORBIDDEN = VALID.replace("\"allowed\":true", "\"allowed\":false")
            .replace("\"VALID\"", "\"FORBIDDEN\"");

    static final String NOT_FOUND = "{\"valid\":false,\"allowed\":false,\"code\":\"NOT_FOUND\"}";

    static final String VALIDATION_PROBLEM = "{\"type\":\"urn:keygate:problem:validation_failed\","
            + "\"title\":\"Invalid request\",\"status\":400,"
            + "\"detail\":\"permissions[0]: invalid permission 'billing:': action must not be empty\","
            + "\"code\":\"validation_failed\","
            + "\"errors\":[{\"field\":\"permissions[0]\",\"message\":\"action must not be empty\"}]}";

    private Fixtures() {
    }
}
