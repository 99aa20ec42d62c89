package dev.pith.io.safetensors;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A parsed JSON value, remembering the byte position where it starts in the text so that errors
 * can point at it. Produced by {@link JsonParser}.
 */
sealed interface JsonValue {
    /** Byte position of the value's first byte in the parsed text. */
    int at();

    /** JSON's name for the value's type, for error messages. */
    default String typeName() {
        return switch (this) {
            case Obj o -> "an object";
            case Arr a -> "an array";
            case Str s -> "a string";
            case Num n -> n.isInteger() ? "an integer" : "a number";
            case Bool b -> "a boolean";
            case Null n -> "null";
        };
    }

    /** An object; members keep the order of the text (keys are unique, the parser refuses duplicates). */
    record Obj(LinkedHashMap<String, JsonValue> members, int at) implements JsonValue {
    }

    record Arr(List<JsonValue> items, int at) implements JsonValue {
    }

    record Str(String value, int at) implements JsonValue {
    }

    /** A number as written; {@link #isInteger()} when it has neither a fraction nor an exponent. */
    record Num(String text, int at) implements JsonValue {
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        /** The exact integer value; only for {@link #isInteger()} numbers. */
        BigInteger integer() {
            return new BigInteger(text);
        }
    }

    record Bool(boolean value, int at) implements JsonValue {
    }

    record Null(int at) implements JsonValue {
    }
}
