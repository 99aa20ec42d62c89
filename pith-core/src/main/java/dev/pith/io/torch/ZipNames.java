package dev.pith.io.torch;

import java.util.Locale;

/**
 * The rules entry names must follow in archives Pith reads and writes: relative paths with
 * {@code /} separators, no {@code ..} segment, no backslash, no NUL, unique also when case is
 * ignored (so that extracting an archive on any file system cannot escape its folder or collide).
 */
final class ZipNames {
    private ZipNames() {
    }

    /** What is wrong with {@code name}, or {@code null} if it is acceptable. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "empty entry name";
        }
        if (name.indexOf('\\') >= 0) {
            return "backslash in entry name '" + name + "'";
        }
        if (name.indexOf('\0') >= 0) {
            return "NUL character in entry name '" + name + "'";
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            return "absolute path as entry name '" + name + "'";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "'..' segment in entry name '" + name + "'";
            }
        }
        return null;
    }

    /** The name with case folded, for finding names that differ only in case. */
    static String folded(String name) {
        return name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
