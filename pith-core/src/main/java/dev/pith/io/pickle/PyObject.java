package dev.pith.io.pickle;

import java.util.List;

/**
 * An instance of a Python class that Pith represents without running anything: the class name,
 * the arguments it was created with ({@code NEWOBJ} or {@code REDUCE}) and the state a
 * {@code BUILD} gave it (usually the instance {@code __dict__}).
 *
 * <p>Only classes a {@link GlobalResolver} explicitly allows as opaque objects become a
 * {@code PyObject} (for example torch.nn modules of a whole-model file); the writer pickles it back
 * as {@code GLOBAL}, args, {@code NEWOBJ}, state, {@code BUILD}.
 */
public final class PyObject {
    private final PyGlobal type;
    private final List<Object> args;
    private Object state;

    public PyObject(PyGlobal type, List<Object> args, Object state) {
        this.type = type;
        this.args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
        this.state = state;
    }

    public PyGlobal type() {
        return type;
    }

    public List<Object> args() {
        return args;
    }

    /** The state set by {@code BUILD}, or {@code null}. */
    public Object state() {
        return state;
    }

    public void state(Object newState) {
        this.state = newState;
    }

    @Override
    public String toString() {
        return type.qualifiedName() + "(" + args + ")";
    }
}
