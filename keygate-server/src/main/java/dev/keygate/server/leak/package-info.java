/**
 * Leaked tokens: reports of tokens found in public places ({@code POST /v1/leaks}), which revoke them, sent with a
 * bearer token or signed by GitHub's secret-scanning partner program ({@link dev.keygate.server.leak.LeakReportKeys}
 * checks the signature); and the lookup of tokens by the hash of their secret ({@code POST /v1/tokens/lookup}), with
 * which {@code keygate scan} names what it found without sending any secret. See docs/leaks.md.
 */
package dev.keygate.server.leak;
