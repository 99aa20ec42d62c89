package dev.pith.io.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pith.io.pickle.PickleScanner.GlobalRef;
import dev.pith.io.pickle.PickleScanner.PickleScan;
import dev.pith.io.pickle.PickleScanner.Status;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The opcode walker behind {@code pith scan}: names every global, follows STACK_GLOBAL through the memo, builds nothing. */
class PickleScannerTest {
    private static final PickleScanner.Classifier BUILTINS = new PickleScanner.Classifier(PythonBuiltins.INSTANCE);

    private static PickleScan scan(byte[] pickle) {
        return PickleScanner.scan(MemorySegment.ofArray(pickle), 0, BUILTINS);
    }

    @Test
    void namesGlobalsAndOpcodeClassesWithPython2NamesMapped() {
        PickleScan s = scan(Bytes.of(0x80, 2, "ccollections\nOrderedDict\n)R", "c__builtin__\neval\n", "X", 1, 0, 0, 0, "x",
                0x85, "R."));
        assertThat(s.complete()).isTrue();
        assertThat(s.problems()).isEmpty();
        assertThat(s.globals()).extracting(GlobalRef::qualifiedName, GlobalRef::writtenAs, GlobalRef::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("collections.OrderedDict", "collections.OrderedDict", Status.ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("builtins.eval", "__builtin__.eval", Status.UNSAFE));
        assertThat(s.opcodeClasses()).contains("global", "call", "constant", "framing");
        assertThat(s.opcodes()).containsEntry("REDUCE", 2L);
        assertThat(s.safe()).isFalse();
    }

    @Test
    void followsStackGlobalThroughTheMemoAndFlagsDynamicOnes() {
        // 'posix' and 'system' memoized and popped, then fetched back for STACK_GLOBAL
        byte[] memo = Bytes.of(0x80, 4, 0x8c, 5, "posix", 0x94, "0", 0x8c, 6, "system", 0x94, "0", "h", 0, "h", 1, 0x93, "N.");
        PickleScan s = scan(memo);
        assertThat(s.globals()).singleElement().satisfies(g -> {
            assertThat(g.qualifiedName()).isEqualTo("posix.system");
            assertThat(g.status()).isEqualTo(Status.UNSAFE);
            assertThat(g.opcode()).isEqualTo("STACK_GLOBAL");
        });
        // operands made by a call: nobody can tell what they are
        byte[] dynamic = Bytes.of(0x80, 4, "ccollections\nOrderedDict\n)R", 0x8c, 6, "system", 0x93, "N.");
        assertThat(scan(dynamic).globals()).extracting(GlobalRef::status).containsExactly(Status.ALLOWED, Status.UNSAFE);
        assertThat(scan(dynamic).problems()).anyMatch(p -> p.contains("dynamic global"));
    }

    @Test
    void extensionCodesAreUnsafe() {
        PickleScan s = scan(Bytes.of(0x80, 2, 0x82, 7, ")R."));
        assertThat(s.globals()).singleElement().satisfies(g -> assertThat(g.status()).isEqualTo(Status.UNSAFE));
    }

    @Test
    void hostileLengthsAndTruncationEndTheScanWithoutAllocating() {
        PickleScan huge = scan(Bytes.of(0x80, 4, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, "."));
        assertThat(huge.complete()).isFalse();
        assertThat(huge.problems()).singleElement().asString().contains("truncated");
        PickleScan unknown = scan(Bytes.of(0x80, 2, 0xff, "."));
        assertThat(unknown.complete()).isFalse();
        assertThat(unknown.problems()).singleElement().asString().contains("unknown opcode 0xff");
        // a million MARKs and an underflowing REDUCE are only noted
        PickleScan marks = scan(Bytes.of(Bytes.repeat("(", 1_000_000), "R."));
        assertThat(marks.problems()).isNotEmpty();
        // globals after the first refusal are still listed
        PickleScan two = scan(Bytes.of("cos\nsystem\ncsubprocess\nPopen\n."));
        assertThat(two.globals()).extracting(GlobalRef::qualifiedName).containsExactly("os.system", "subprocess.Popen");
    }
}
