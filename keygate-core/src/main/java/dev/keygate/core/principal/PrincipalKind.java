package dev.keygate.core.principal;

import java.util.Locale;

/** What kind of actor a principal is. */
public enum PrincipalKind {
    SERVICE, INTEGRATION, USER;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this API name, or {@code null} if there is none. */
    public static PrincipalKind fromApiName(String name) {
        for (PrincipalKind k : values()) {
            if (k.apiName().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
