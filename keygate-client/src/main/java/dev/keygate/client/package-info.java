/**
 * The Java SDK for Keygate: admin and verify calls over HTTP.
 *
 * <p>Start from {@link dev.keygate.client.KeygateClient#builder()}. Each API object is an immutable record
 * ({@link dev.keygate.client.Role}, {@link dev.keygate.client.Principal}, {@link dev.keygate.client.TokenInfo},
 * {@link dev.keygate.client.VerifyResult}, {@link dev.keygate.client.Explanation},
 * {@link dev.keygate.client.AuditEvent}, ...). Fields the server adds later are ignored, so an older client keeps
 * working against a newer server.
 *
 * <p>Errors are unchecked: {@link dev.keygate.client.KeygateApiException} when the server answered with an
 * RFC 9457 problem, {@link dev.keygate.client.KeygateClientException} when it could not be reached or answered
 * something that is not Keygate's API. Neither ever carries the bearer token or a token secret in its message.
 *
 * <p>The package depends on the JDK ({@code java.net.http}) and {@code jackson-databind} only.
 */
package dev.keygate.client;
