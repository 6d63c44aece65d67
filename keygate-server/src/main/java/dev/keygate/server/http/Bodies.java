package dev.keygate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads request bodies and writes JSON responses, with the checks every route shares. */
final class Bodies {

    static final String JSON = "application/json";
    /** How much of an oversized body is read and dropped before the 413, so that the client sees the answer. */
    private static final long DISCARD_LIMIT = 1024 * 1024;

    private final ObjectMapper mapper;
    /** One reader per request type, so that a read does not look its type up again. */
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type);
        }
    };

    Bodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads the body as {@code type}; Jackson's own exceptions are mapped by {@link Problems}.
     *
     * @param optional whether an empty body (or JSON {@code null}) is allowed: then {@code null} is returned
     */
    <T> T read(Context ctx, Class<T> type, boolean optional) throws IOException {
        return parse(ctx, raw(ctx), type, optional);
    }

    /**
     * The request body as sent, byte for byte (what a signature covers), refused beyond
     * {@link HttpApi#MAX_BODY_BYTES}. Read it once; {@link #parse} then reads the value from it.
     */
    byte[] raw(Context ctx) throws IOException {
        return body(ctx.req());
    }

    /** As {@link #read}, from a body {@link #raw} returned. */
    <T> T parse(Context ctx, byte[] body, Class<T> type, boolean optional) throws IOException {
        if (body.length == 0) {
            if (optional) {
                return null;
            }
            throw new HttpProblem(400, "malformed_json", "Malformed request body", "a JSON object body is required");
        }
        if (!isJson(ctx.contentType())) {
            throw new HttpProblem(415, "unsupported_media_type", "Unsupported media type",
                    "the body must be sent as Content-Type: application/json");
        }
        T value = readers.get(type).readValue(body);
        if (value == null && !optional) {
            // JSON null reads as no object at all: a route that needs one would fail on it further on, as a 500.
            // Where the body is optional, null stands for none, as it always has.
            throw new HttpProblem(400, "malformed_json", "Malformed request body", "the body must be a JSON object, "
                    + "not null");
        }
        return value;
    }

    /**
     * The request body, refused beyond {@link HttpApi#MAX_BODY_BYTES}. With a Content-Length (the usual case),
     * exactly that many bytes are read into an array of that size, with no further read to find the end.
     */
    private static byte[] body(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        InputStream in = req.getInputStream();
        if (declared > HttpApi.MAX_BODY_BYTES) {
            throw tooLarge(in, declared);
        }
        if (declared >= 0) {
            byte[] body = new byte[(int) declared];
            if (in.readNBytes(body, 0, body.length) < body.length) {
                throw new HttpProblem(400, "malformed_json", "Malformed request body",
                        "the body is shorter than its Content-Length");
            }
            return body;
        }
        byte[] body = in.readNBytes((int) HttpApi.MAX_BODY_BYTES + 1);
        if (body.length > HttpApi.MAX_BODY_BYTES) {
            throw tooLarge(in, DISCARD_LIMIT);
        }
        return body;
    }

    /**
     * The 413 for a body over the limit, after reading and dropping up to {@code unread} more bytes of it (at
     * most {@link #DISCARD_LIMIT}): a client still sending its body when the server stops reading may see a
     * reset connection instead of the answer.
     */
    private static HttpProblem tooLarge(InputStream in, long unread) throws IOException {
        byte[] sink = new byte[8192];
        for (long left = Math.min(unread, DISCARD_LIMIT); left > 0; ) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return tooLarge();
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(413, "payload_too_large", "Payload too large", "the body exceeds 64 KiB");
    }

    /** Whether the media type is exactly {@code application/json}, with or without parameters such as charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().toLowerCase(Locale.ROOT).equals(JSON);
    }

    void write(Context ctx, int status, Object value) throws IOException {
        send(ctx, status, JSON, mapper.writeValueAsBytes(value));
    }

    /**
     * Sends a whole answer with its length, straight to the servlet response. Javalin's result stream would
     * check on every answer whether to compress it, which Keygate never does (see {@link HttpApi}), and
     * that check was a tenth of the CPU of a verify.
     */
    static void send(Context ctx, int status, String contentType, byte[] body) throws IOException {
        ctx.status(status);
        HttpServletResponse res = ctx.res();
        res.setContentType(contentType);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
