package dev.keygate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.Locale;

/** Reads request bodies and writes JSON responses, with the checks every route shares. */
final class Bodies {

    static final String JSON = "application/json";

    private final ObjectMapper mapper;

    Bodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads the body as {@code type}; Jackson's own exceptions are mapped by {@link Problems}.
     *
     * @param optional whether an empty body is allowed (then {@code null} is returned)
     */
    <T> T read(Context ctx, Class<T> type, boolean optional) throws IOException {
        byte[] body = ctx.bodyAsBytes();
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
        return mapper.readValue(body, type);
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
        ctx.status(status).contentType(JSON).result(mapper.writeValueAsBytes(value));
    }
}
