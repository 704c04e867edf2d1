package io.amocrmetl.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.spark.sql.types.Decimal;

/**
 * One JSON scalar at the parser's current token as a Spark value, accepting the number-as-string
 * and 0/1 booleans amoCRM sends; null when the token does not fit (the caller notes it as drift).
 */
final class JsonScalars {
    private static final long MAX_MONEY_UNSCALED = 999_999_999_999_999_99L;
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    private JsonScalars() {}

    static Long asLong(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Double asDouble(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Boolean asBool(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT ->
                p.getLongValue() == 1 ? Boolean.TRUE : p.getLongValue() == 0 ? Boolean.FALSE : null;
            case VALUE_STRING ->
                switch (p.getText().trim()) {
                    case "1", "true" -> Boolean.TRUE;
                    case "0", "false" -> Boolean.FALSE;
                    default -> null;
                };
            default -> null;
        };
    }

    static Decimal asMoney(JsonParser p, JsonToken v) throws IOException {
        BigDecimal d;
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDecimalValue();
        } else if (v == JsonToken.VALUE_STRING) {
            try {
                d = new BigDecimal(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        BigDecimal scaled = d.setScale(2, RoundingMode.HALF_UP);
        if (scaled.unscaledValue().bitLength() > 63
                || Math.abs(scaled.unscaledValue().longValue()) > MAX_MONEY_UNSCALED) {
            return null;
        }
        return Decimal.apply(scaled.unscaledValue().longValue(), 18, 2);
    }

    /** The current value as JSON text; the parser ends on the value's last token. */
    static String raw(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON_FACTORY.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }
}
