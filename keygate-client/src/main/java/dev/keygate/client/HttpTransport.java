package dev.keygate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sends one JSON request and turns the answer into a value, a {@link KeygateApiException} or a
 * {@link KeygateClientException}. Holds the bearer token and is careful never to put it, or anything that looks
 * like a token secret, into an exception.
 */
final class HttpTransport implements AutoCloseable {

    private static final String USER_AGENT = "keygate-client/" + KeygateClient.VERSION;
    private static final String ACCEPT = "application/json, application/problem+json";
    /** A Keygate token as the format defines it: the server should never echo one, but if it did we hide it. */
    private static final Pattern SECRET = Pattern.compile("kg_[a-z0-9]{1,16}_[0-9A-Za-z]{16,}");

    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final ObjectMapper mapper;

    HttpTransport(URI baseUri, String token, Duration timeout, HttpClient http, boolean ownsHttp, ObjectMapper mapper) {
        String b = baseUri.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.authorization = token == null ? null : "Bearer " + token;
        this.timeout = timeout;
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.mapper = mapper;
    }

    boolean hasToken() {
        return authorization != null;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Sends the request and reads the 2xx answer as {@code type}; {@code null} for a 204. */
    <T> T send(String method, String pathAndQuery, Object body, boolean admin, JavaType type) {
        URI uri = URI.create(base + pathAndQuery);
        HttpResponse<byte[]> response = exchange(method, uri, body, admin);
        if (response.statusCode() == 204 || type == null) {
            return null;
        }
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new KeygateClientException(
                    "unexpected answer to " + method + " " + display(uri) + ": " + scrub(why), e);
        }
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, Object body, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .header("User-Agent", USER_AGENT);
        if (admin) {
            if (authorization == null) {
                throw new IllegalStateException(
                        "this call needs an admin token: set one with KeygateClient.builder().token(...)");
            }
            request.header("Authorization", authorization);
        }
        if (body != null) {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "cannot write the request body for " + method + " " + display(uri), e);
            }
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new KeygateClientException(
                    method + " " + display(uri) + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new KeygateClientException(
                    "cannot reach Keygate: " + method + " " + display(uri) + ": " + reason(e), e);
        } catch (IOException e) {
            throw new KeygateClientException(method + " " + display(uri) + " failed: " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeygateClientException(method + " " + display(uri) + " was interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw problem(method, uri, response);
        }
        return response;
    }

    private KeygateApiException problem(String method, URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json") && response.body().length > 0) {
            try {
                Problem p = mapper.readValue(response.body(), Problem.class);
                if (p.title() != null || p.code() != null) {
                    List<FieldError> errors = new ArrayList<>();
                    if (p.errors() != null) {
                        for (FieldError e : p.errors()) {
                            errors.add(new FieldError(e.field(), scrub(e.message())));
                        }
                    }
                    String title = p.title() != null ? p.title() : reasonPhrase(status);
                    return new KeygateApiException(status, p.type(), title, scrub(p.detail()), p.code(), errors);
                }
            } catch (IOException notAProblem) {
                // Fall through: described below by its status and content type.
            }
        }
        String what = contentType.isEmpty() ? "no content type" : contentType;
        return new KeygateApiException(status, null, reasonPhrase(status),
                method + " " + display(uri) + " answered " + status + " with " + what + ", not a problem document",
                null, List.of());
    }

    /** The URL without any user info, for messages. */
    static String display(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String scrub(String text) {
        return text == null ? null : SECRET.matcher(text).replaceAll("kg_***");
    }

    /** Percent-encodes one path segment or query value (spaces as {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String reason(Throwable e) {
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    /** An RFC 9457 problem document, as far as the client reads it. */
    record Problem(String type, String title, Integer status, String detail, String code, List<FieldError> errors) {
    }
}
