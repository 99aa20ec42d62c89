package dev.pith.optim;

/** Reading scheduler fields that keep their Python type (an int {@code eta_min} stays an int when saved again). */
final class SchedulerValues {
    private SchedulerValues() {
    }

    /** A Python int (as Long) or float (as Double). */
    static Number number(Object value, String key) {
        return switch (value) {
            case Long l -> l;
            case Double d -> d;
            case Integer i -> (long) i;
            case Float f -> (double) f;
            default -> Values.toDouble(value, key);
        };
    }
}
