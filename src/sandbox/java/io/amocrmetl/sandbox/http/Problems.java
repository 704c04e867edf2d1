package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** {@code application/problem+json} error bodies as amoCRM writes them (docs/amocrm-api.md §5.3). */
final class Problems {
    static final String TYPE = "application/problem+json";

    private Problems() {}

    static HttpResponse of(int status, String title, String detail) {
        return new HttpResponse(status, TYPE, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeStringField("type", "https://httpstatus.es/" + status);
            g.writeNumberField("status", status);
            g.writeStringField("detail", detail);
            g.writeEndObject();
        }));
    }

    /** A 400 with {@code validation-errors}, as the API answers a bad filter or parameter. */
    static HttpResponse validation(String path, String detail) {
        return new HttpResponse(400, TYPE, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("validation-errors");
            g.writeStartObject();
            g.writeStringField("request_id", "0");
            g.writeArrayFieldStart("errors");
            g.writeStartObject();
            g.writeStringField("code", "InvalidParameter");
            g.writeStringField("path", path);
            g.writeStringField("detail", detail);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeStringField("title", "Bad Request");
            g.writeStringField("type", "https://httpstatus.es/400");
            g.writeNumberField("status", 400);
            g.writeStringField("detail", "Request validation failed");
            g.writeEndObject();
        }));
    }

    /** Writes with a JsonGenerator. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }
}
