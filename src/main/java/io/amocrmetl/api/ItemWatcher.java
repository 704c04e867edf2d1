package io.amocrmetl.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hands one item to a consumer and, as the consumer reads it, notes the values of a few top-level
 * fields (id, updated_at, ...) for the page checks: one parse, no copy. Every "next" method goes
 * through {@link #nextToken()} so nothing slips past, and it never reads beyond the item's END_OBJECT.
 */
final class ItemWatcher extends JsonParserDelegate {
    private final Set<String> watched;
    private final Map<String, String> seen = new HashMap<>();
    private int depth;
    private String field;

    /** The parser must be at the item's START_OBJECT. */
    ItemWatcher(JsonParser in, Set<String> watched) {
        super(in);
        this.watched = watched;
        this.depth = 1;
    }

    Map<String, String> seen() {
        return seen;
    }

    boolean finished() {
        return depth == 0;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        if (depth == 0) {
            return null;
        }
        JsonToken t = delegate.nextToken();
        if (t == null) {
            return null;
        }
        if (t.isStructStart()) {
            depth++;
        } else if (t.isStructEnd()) {
            depth--;
        } else if (depth == 1 && t == JsonToken.FIELD_NAME) {
            field = delegate.currentName();
        } else if (depth == 1 && t.isScalarValue() && field != null && watched.contains(field)) {
            seen.put(field, t == JsonToken.VALUE_NULL ? null : delegate.getText());
        }
        return t;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        JsonToken t = currentToken();
        if (t != null && t.isStructStart()) {
            int target = depth - 1;
            while (depth > target) {
                if (nextToken() == null) {
                    break;
                }
            }
        }
        return this;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String nextFieldName() throws IOException {
        return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
    }

    @Override
    public boolean nextFieldName(SerializableString str) throws IOException {
        return nextToken() == JsonToken.FIELD_NAME && str.getValue().equals(currentName());
    }

    @Override
    public String nextTextValue() throws IOException {
        return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
    }

    /** Reads whatever the consumer left of the item. */
    void finish() throws IOException {
        while (depth > 0 && nextToken() != null) {
            // skip to the item's END_OBJECT
        }
    }
}
