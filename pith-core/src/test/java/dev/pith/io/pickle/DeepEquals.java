package dev.pith.io.pickle;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Structural equality of unpickled values for tests: like {@code equals}, but {@code byte[]} by
 * content, map entries in order, and a {@link PyOrderedDict} never equal to a plain map. Returns
 * the path of the first difference, or null.
 */
final class DeepEquals {
    private DeepEquals() {
    }

    static String difference(Object expected, Object actual) {
        return diff(expected, actual, "value");
    }

    private static String diff(Object e, Object a, String path) {
        if (e == null || a == null) {
            return e == a ? null : path + ": expected " + e + " but was " + a;
        }
        if (e instanceof byte[] eb) {
            return a instanceof byte[] ab && Arrays.equals(eb, ab) ? null
                    : path + ": expected bytes " + Arrays.toString(eb) + " but was " + describe(a);
        }
        if (e instanceof PyTuple et) {
            return a instanceof PyTuple at ? diffList(et.items(), at.items(), path) : path + ": expected a tuple, was " + describe(a);
        }
        if (e instanceof List<?> el) {
            return a instanceof List<?> al ? diffList(el, al, path) : path + ": expected a list, was " + describe(a);
        }
        if (e instanceof Map<?, ?> em) {
            if (!(a instanceof Map<?, ?> am) || (e instanceof PyOrderedDict) != (a instanceof PyOrderedDict)) {
                return path + ": expected " + e.getClass().getSimpleName() + ", was " + describe(a);
            }
            if (em.size() != am.size()) {
                return path + ": expected " + em.size() + " entries, was " + am.size();
            }
            Iterator<? extends Map.Entry<?, ?>> ai = am.entrySet().iterator();
            for (Map.Entry<?, ?> ee : em.entrySet()) {
                Map.Entry<?, ?> ae = ai.next();
                String d = diff(ee.getKey(), ae.getKey(), path + ".key");
                if (d == null) {
                    d = diff(ee.getValue(), ae.getValue(), path + "[" + ee.getKey() + "]");
                }
                if (d != null) {
                    return d;
                }
            }
            if (e instanceof PyOrderedDict eo) {
                return diff(eo.attributes(), ((PyOrderedDict) a).attributes(), path + ".attributes");
            }
            return null;
        }
        if (e instanceof Set<?> es) {
            return a instanceof Set<?> as && es.equals(as) ? null : path + ": expected set " + e + " but was " + describe(a);
        }
        if (e instanceof PyObject eo) {
            if (!(a instanceof PyObject ao) || !eo.type().equals(ao.type())) {
                return path + ": expected " + eo + " but was " + describe(a);
            }
            String d = diffList(eo.args(), ao.args(), path + ".args");
            return d != null ? d : diff(eo.state(), ao.state(), path + ".state");
        }
        return Objects.equals(e, a) && e.getClass() == a.getClass() ? null
                : path + ": expected " + describe(e) + " but was " + describe(a);
    }

    private static String diffList(List<?> e, List<?> a, String path) {
        if (e.size() != a.size()) {
            return path + ": expected " + e.size() + " items, was " + a.size();
        }
        for (int i = 0; i < e.size(); i++) {
            String d = diff(e.get(i), a.get(i), path + "[" + i + "]");
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private static String describe(Object v) {
        return v == null ? "None" : v.getClass().getSimpleName() + " " + (v instanceof byte[] b ? Arrays.toString(b) : v);
    }
}
