package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, acceptance 1: every file of the hostile corpus ({@code interop/make_hostile.py}) is
 * loaded in a child JVM limited to 512 MB of heap, with a copying and a memory-mapped load; each
 * load ends as the manifest says (refused with that exception class and message, or loaded with
 * that content) within 10 seconds, only Pith's exceptions escape, and no payload ran (its marker
 * file does not exist).
 */
class HostileCorpusLoadTest {
    static final long PER_FILE_MILLIS = 10_000;

    @Test
    void everyFileEndsAsTheManifestSaysInBoundedTimeAndHeapAndNothingRuns() throws Exception {
        Path corpus = PyTorch.hostileCorpus();
        List<Map<String, Object>> entries = HostileCorpusTest.entries(PyTorch.hostileManifest());
        assertThat(entries).hasSizeGreaterThanOrEqualTo(60);

        Map<String, List<Map<String, Object>>> results = runChild(corpus);

        SoftAssertions soft = new SoftAssertions();
        for (Map<String, Object> entry : entries) {
            String file = (String) entry.get("file");
            List<Map<String, Object>> loads = results.getOrDefault(file, List.of());
            soft.assertThat(loads).as(file + ": loads reported").hasSize(2);
            for (Map<String, Object> r : loads) {
                String what = file + " (" + r.get("mode") + ")";
                soft.assertThat(((Number) r.get("ms")).longValue()).as(what + ": milliseconds").isLessThanOrEqualTo(PER_FILE_MILLIS);
                soft.assertThat(r.get("outcome")).as(what + ": outcome, " + r).isEqualTo(entry.get("outcome"));
                if ("refused".equals(r.get("outcome"))) {
                    List<Object> classes = Json.asArray(r.get("classes"));
                    soft.assertThat(classes).as(what + ": only Pith's exceptions escape, " + r).contains("PithException");
                    if (entry.get("expected_error") != null) {
                        soft.assertThat(classes).as(what + ": exception class, " + r).contains(entry.get("expected_error"));
                    }
                    if (entry.get("message_contains") instanceof String text && !text.isEmpty()) {
                        soft.assertThat((String) r.get("message")).as(what + ": message").contains(text);
                    }
                    soft.assertThat((String) r.get("message")).as(what + ": message names the file").contains(file);
                } else if (entry.get("expected") != null) {
                    checkContent(soft, what, Json.asObject(entry.get("expected")), r.get("value"));
                }
            }
            if (entry.get("marker") instanceof String marker) {
                soft.assertThat(Path.of(marker)).as(file + ": the payload's side effect").doesNotExist();
            }
        }
        soft.assertAll();
    }

    private static void checkContent(SoftAssertions soft, String what, Map<String, Object> expected, Object value) {
        if (expected.containsKey("value")) {
            soft.assertThat(value).as(what + ": value").isEqualTo(expected.get("value"));
            return;
        }
        Map<String, Object> map = Json.asObject(value);
        if (expected.containsKey("len")) {
            soft.assertThat(((Number) map.get("len")).longValue()).as(what + ": len")
                    .isEqualTo(((Number) expected.get("len")).longValue());
        }
        if (expected.containsKey("keys")) {
            soft.assertThat(new ArrayList<>(Json.asObject(map.get("items")).keySet())).as(what + ": keys")
                    .isEqualTo(Json.asArray(expected.get("keys")));
        }
        if (expected.containsKey("tensors")) {
            Map<String, Object> items = Json.asObject(map.get("items"));
            Json.asObject(expected.get("tensors")).forEach((key, spec) -> {
                Map<String, Object> tensor = Json.asObject(Json.asObject(items.get(key)).get("tensor"));
                Json.asObject(spec).forEach((field, want) -> soft.assertThat(normalize(tensor.get(field)))
                        .as(what + ": tensor " + key + " " + field).isEqualTo(normalize(want)));
            });
        }
    }

    /** JSON numbers as doubles, so that 1.5 and 1.5 compare equal whatever the parser made of them. */
    private static Object normalize(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(HostileCorpusLoadTest::normalize).toList();
        }
        return v;
    }

    /** Runs {@link HostileLoadRunner} in a JVM with {@code -Xmx512m}; results by file name. */
    static Map<String, List<Map<String, Object>>> runChild(Path corpus, String... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                HostileLoadRunner.class.getName(), corpus.toString()));
        command.addAll(List.of(files));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        child.getOutputStream().close();
        Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        String last = null;
        boolean ended = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("BEGIN ")) {
                    last = line.substring(6);
                } else if (line.equals("END")) {
                    ended = true;
                } else if (line.startsWith("{")) {
                    Map<String, Object> r = Json.parseObject(line);
                    results.computeIfAbsent((String) r.get("file"), k -> new ArrayList<>()).add(r);
                }
            }
        }
        if (!child.waitFor(10, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        assertThat(ended).as("the child JVM died or hung while loading " + last + " (exit status "
                + (child.isAlive() ? "none" : child.exitValue()) + ")").isTrue();
        return results;
    }
}
