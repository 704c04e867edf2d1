package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs a grant to the token endpoint through the executor (so it waits for the limiter and
 * retries like any call): JSON as the docs show, or a form if JSON is refused with a 400
 * (docs/amocrm-api.md §9.11). A body refused once is not sent first again.
 */
final class TokenRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CallExecutor calls;
    private final ClientSettings settings;

    TokenRequests(CallExecutor calls, ClientSettings settings) {
        this.calls = calls;
        this.settings = settings;
    }

    /** @param formFirst whether to send a form first; flipped when the body sent first is refused */
    JsonNode post(Map<String, String> grant, boolean[] formFirst) {
        for (int round = 0; round < 2; round++) {
            boolean form = formFirst[0] ^ (round == 1);
            try {
                return calls.call(
                        "POST",
                        "/oauth2/access_token",
                        0,
                        null,
                        null,
                        t -> new Request.Builder()
                                .url(settings.baseUrl() + "/oauth2/access_token")
                                .post(form ? formBody(grant) : RequestBody.create(json(grant), CallExecutor.JSON))
                                .build(),
                        (resp, body) -> MAPPER.readTree(body),
                        null);
            } catch (AmoApiException e) {
                if (e.status() != 400 || round == 1) {
                    throw e;
                }
                formFirst[0] = !form;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static RequestBody formBody(Map<String, String> grant) {
        FormBody.Builder b = new FormBody.Builder();
        grant.forEach(b::add);
        return b.build();
    }

    private static byte[] json(Map<String, String> grant) {
        try {
            return MAPPER.writeValueAsBytes(grant);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
