package dev.bnnc.backends.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CToolchainTest {
    @Test
    void aMissingToolSaysWhichAndCannotBuild() {
        CToolchain none = CToolchain.hostCompiler("bnnc-no-such-cc");
        assertFalse(none.available());
        assertEquals("bnnc-no-such-cc is not on the PATH", none.unavailable().orElseThrow());
        CToolchain.CompileException e = assertThrows(CToolchain.CompileException.class,
                () -> none.build(new CSources("m", "", "", java.util.List.of()), new int[] {1}, new int[] {1}));
        assertTrue(e.getMessage().contains("bnnc-no-such-cc is not on the PATH"), e.getMessage());
    }

    @Test
    void compilerFlagsMayFollowTheCommandAsInCc() {
        assertEquals(List.of("gcc", "-m64"), CToolchain.hostCompiler("gcc -m64").compilerCommand());
    }
}
