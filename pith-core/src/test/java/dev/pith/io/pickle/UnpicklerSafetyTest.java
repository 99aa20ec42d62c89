package dev.pith.io.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pith.UnsafePickleException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles that would run code under CPython are refused, at the offset of the opcode naming the
 * global, and nothing runs.
 */
class UnpicklerSafetyTest {
    @TempDir
    Path dir;

    /** Payloads made by CPython: {@code __reduce__} returning a dangerous callable, protocols 0, 2 and 4. */
    private static final String PAYLOADS = """
            import pickle, pickletools, os, posix, subprocess, builtins
            MARKER = %s
            CONTROL = %s
            class OsSystem:
                def __reduce__(self): return (os.system, ('touch ' + MARKER,))
            class Eval:
                def __reduce__(self): return (builtins.eval, ("open(%%r, 'w').close()" %% MARKER,))
            class Popen:
                def __reduce__(self): return (subprocess.Popen, (['touch', MARKER],))
            class PosixSystem:
                def __reduce__(self): return (posix.system, ('touch ' + MARKER,))
            class Control:
                def __reduce__(self): return (os.system, ('touch ' + CONTROL,))
            for name, cls in [('os.system', OsSystem), ('builtins.eval', Eval), ('subprocess.Popen', Popen),
                              ('posix.system', PosixSystem)]:
                for proto in (0, 2, 4):
                    data = pickle.dumps(cls(), protocol=proto)
                    offset = next(pos for op, arg, pos in pickletools.genops(data) if op.name in ('GLOBAL', 'STACK_GLOBAL'))
                    print(name, proto, offset, data.hex())
            pickle.loads(pickle.dumps(Control(), protocol=2))  # proves such payloads really run under CPython
            """;

    /** The global each payload names, as the unpickler reports it (Python 3 spelling). */
    private static final Map<String, String> REPORTED = Map.of(
            "os.system", "posix.system", "builtins.eval", "builtins.eval",
            "subprocess.Popen", "subprocess.Popen", "posix.system", "posix.system");

    private static Unpickler permissiveForHarmlessNames() {
        return UnpicklerCPythonTest.unpickler();
    }

    @Test
    void refusesCPythonPayloadsAtTheGlobalsOffsetAndRunsNothing() {
        Path marker = dir.resolve("payload-ran");
        Path control = dir.resolve("cpython-ran");
        String out = CPython.run(PAYLOADS.formatted(pyString(marker), pyString(control)));
        assertThat(control).as("the same kind of payload runs under CPython").exists();

        List<String> checked = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(" ");
            String name = f[0];
            int protocol = Integer.parseInt(f[1]);
            long offset = Long.parseLong(f[2]);
            byte[] pickle = HexFormat.of().parseHex(f[3]);

            UnsafePickleException e = catchThrowableOfType(UnsafePickleException.class,
                    () -> permissiveForHarmlessNames().load(pickle));
            assertThat(e).as(name + " protocol " + protocol).isNotNull();
            assertThat(e.global()).isEqualTo(REPORTED.get(name));
            assertThat(e.knownDangerous()).isTrue();
            assertThat(e.offset()).as(name + " protocol " + protocol).isEqualTo(offset);
            assertThat(e.getMessage()).contains(REPORTED.get(name)).contains("offset " + offset);
            checked.add(name + "/" + protocol);
        }
        assertThat(checked).hasSize(12);
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesHandAssembledInstAndObj() {
        Path marker = dir.resolve("inst-ran");
        String arg = "S'touch " + marker + "'\n";
        byte[] inst = Bytes.of("(", arg, "ios\nsystem\n.");
        UnsafePickleException e = catchThrowableOfType(UnsafePickleException.class,
                () -> permissiveForHarmlessNames().load(inst));
        assertThat(e.global()).isEqualTo("os.system");
        assertThat(e.knownDangerous()).isTrue();
        assertThat(e.offset()).isEqualTo(1 + arg.length());

        byte[] obj = Bytes.of("(cposix\nsystem\n", arg, "o.");
        e = catchThrowableOfType(UnsafePickleException.class, () -> permissiveForHarmlessNames().load(obj));
        assertThat(e.global()).isEqualTo("posix.system");
        assertThat(e.offset()).isEqualTo(1);

        // Python 2 spellings are mapped before the lookup: commands -> subprocess, __builtin__ -> builtins
        e = catchThrowableOfType(UnsafePickleException.class,
                () -> permissiveForHarmlessNames().load(Bytes.of("\u0080\u0002ccommands\ngetoutput\n.")));
        assertThat(e.global()).isEqualTo("subprocess.getoutput");
        assertThat(e.offset()).isEqualTo(2);
        e = catchThrowableOfType(UnsafePickleException.class,
                () -> permissiveForHarmlessNames().load(Bytes.of("c__builtin__\ngetattr\n.")));
        assertThat(e.global()).isEqualTo("builtins.getattr");
        assertThat(e.knownDangerous()).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void unknownHarmlessGlobalsAreRefusedButNotCalledDangerous() {
        UnsafePickleException e = catchThrowableOfType(UnsafePickleException.class,
                () -> permissiveForHarmlessNames().load(Bytes.of("\u0080\u0002cmymodule\nThing\n)R.")));
        assertThat(e.global()).isEqualTo("mymodule.Thing");
        assertThat(e.knownDangerous()).isFalse();
        assertThat(e.getMessage()).contains("unknown global mymodule.Thing");
    }

    @Test
    void namesAreLookedUpWholeNeverSplitOnDots() {
        List<String> asked = new ArrayList<>();
        GlobalResolver recording = (module, name) -> {
            asked.add(module + "|" + name);
            return Optional.empty();
        };
        Unpickler u = new Unpickler(recording, PersistentLoader.NONE, PickleLimits.DEFAULTS);
        // protocol 4: STACK_GLOBAL 'collections' 'OrderedDict.__init__.__globals__'
        String name = "OrderedDict.__init__.__globals__";
        byte[] pickle = Bytes.of(0x80, 4, 0x8c, 11, "collections", 0x8c, name.length(), name, 0x93, ".");
        UnsafePickleException e = catchThrowableOfType(UnsafePickleException.class, () -> u.load(pickle));
        assertThat(asked).containsExactly("collections|" + name);
        assertThat(e.global()).isEqualTo("collections." + name);
        assertThat(e.offset()).isEqualTo(2 + 2 + 11 + 2 + name.length());

        asked.clear();
        assertThatThrownBy(() -> u.load(Bytes.of("ctorch._utils\n_rebuild_tensor_v2\n.")))
                .isInstanceOf(UnsafePickleException.class);
        assertThat(asked).containsExactly("torch._utils|_rebuild_tensor_v2");
    }

    @Test
    void extensionCodesAndOutOfBandBuffersAreRefused() {
        UnsafePickleException e = catchThrowableOfType(UnsafePickleException.class,
                () -> permissiveForHarmlessNames().load(Bytes.of(0x80, 2, 0x82, 7, ".")));
        assertThat(e.offset()).isEqualTo(2);
        assertThat(e.global()).contains("extension code 7");
        assertThatThrownBy(() -> permissiveForHarmlessNames().load(Bytes.of(0x80, 5, 0x97, ".")))
                .isExactlyInstanceOf(dev.pith.FileFormatException.class).hasMessageContaining("out-of-band");
    }

    @Test
    void knownDangerousListMatchesModulesByPrefixAndNamesExactly() {
        assertThat(UnsafeGlobals.isKnownDangerous("os", "system")).isTrue();
        assertThat(UnsafeGlobals.isKnownDangerous("os.path", "join")).isTrue();
        assertThat(UnsafeGlobals.isKnownDangerous("torch._C", "_load")).isTrue();
        assertThat(UnsafeGlobals.isKnownDangerous("operator", "attrgetter")).isTrue();
        assertThat(UnsafeGlobals.isKnownDangerous("operator", "add")).isFalse();
        assertThat(UnsafeGlobals.isKnownDangerous("osmosis", "x")).isFalse();
        assertThat(UnsafeGlobals.isKnownDangerous("collections", "OrderedDict")).isFalse();
        assertThat(UnsafeGlobals.isKnownDangerous("torch._utils", "_rebuild_tensor_v2")).isFalse();
    }

    private static String pyString(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
