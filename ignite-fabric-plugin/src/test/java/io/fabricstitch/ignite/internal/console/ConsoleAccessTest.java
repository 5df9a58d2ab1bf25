package io.fabricstitch.ignite.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may read the console and who may inject faults, and how query strings are read. */
class ConsoleAccessTest {
    static final String TOKEN = "0123456789abcdef-token";

    @Test
    void withoutATokenEveryoneReadsAndNobodyInjectsFaults() {
        ConsoleAccess open = new ConsoleAccess(null, true);
        assertFalse(open.tokenRequired());
        assertFalse(open.faultInjection());
        assertEquals(ConsoleAccess.Grant.READ, open.grantOf(null));
        assertEquals(ConsoleAccess.Grant.READ, open.grantOf("Bearer anything"));
    }

    @Test
    void withATokenOnlyItsBearerReads() {
        ConsoleAccess guarded = new ConsoleAccess(TOKEN, false);
        assertEquals(ConsoleAccess.Grant.NONE, guarded.grantOf(null));
        assertEquals(ConsoleAccess.Grant.NONE, guarded.grantOf("Basic " + TOKEN));
        assertEquals(ConsoleAccess.Grant.NONE, guarded.grantOf("Bearer " + TOKEN + "x"));
        assertEquals(ConsoleAccess.Grant.NONE, guarded.grantOf("Bearer "));
        assertEquals(ConsoleAccess.Grant.READ, guarded.grantOf("Bearer " + TOKEN));
        assertEquals(ConsoleAccess.Grant.READ, guarded.grantOf("bearer " + TOKEN + " "));
    }

    @Test
    void theTokenGrantsFaultInjectionOnlyWhereItIsOn() {
        assertEquals(ConsoleAccess.Grant.FAULTS, new ConsoleAccess(TOKEN, true).grantOf("Bearer " + TOKEN));
        assertEquals(ConsoleAccess.Grant.NONE, new ConsoleAccess(TOKEN, true).grantOf("Bearer nope"));
    }

    @Test
    void queryStringsAreDecodedAndRepeatsRefused() {
        assertEquals(Map.of("limit", "5", "a b", "c&d"), ConsoleServer.params("limit=5&a+b=c%26d"));
        assertEquals(Map.of(), ConsoleServer.params(null));
        assertEquals(Map.of("flag", ""), ConsoleServer.params("flag&"));
        ConsoleException twice = assertThrows(ConsoleException.class, () -> ConsoleServer.params("limit=1&limit=2"));
        assertEquals(400, twice.status());
        assertEquals("parameter 'limit' given twice (expected: once)", twice.getMessage());
        ConsoleException bad = assertThrows(ConsoleException.class, () -> ConsoleServer.params("limit=%zz"));
        assertTrue(bad.getMessage().startsWith("query 'limit=%zz' is not URL-encoded ("), bad.getMessage());
    }

    @Test
    void onlyLoopbackHostNamesAreAnsweredWithoutAToken() {
        for (String ok : new String[] {"127.0.0.1:8090", "localhost", "LOCALHOST:8091", "127.0.1.1", "[::1]:8090"})
            assertTrue(ConsoleServer.isLoopbackHost(ok), ok);
        for (String bad : new String[] {"evil.example:8090", "127.0.0.1.evil.example", "10.0.0.5:8090", "[::2]", ""})
            assertFalse(ConsoleServer.isLoopbackHost(bad), bad);
        assertFalse(ConsoleServer.isLoopbackHost(null));
    }
}
