package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.ignite.IgniteDeploymentException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.binary.BinaryInvalidTypeException;
import org.junit.jupiter.api.Test;

/** Each form in which Ignite says a job's class is missing becomes one message naming the class and both fixes. */
class MissingClassTest {
    static String missing(String name) {
        return "class " + name + " is not on the servers' class path and was not peer-loaded from the caller ("
            + MissingClass.FIX + ')';
    }

    static IgniteException wrapped(Throwable cause) {
        return new IgniteException("Remote job threw user exception", new IgniteException("Failed to deserialize "
            + "object [typeName=io.fabricstitch.ignite.internal.PlacedTask$Job]", cause));
    }

    @Test
    void classNotFound_namesTheClass() {
        assertEquals(missing("acc.ShaJob"), TaskRun.message(wrapped(new BinaryInvalidTypeException("acc.ShaJob",
            new ClassNotFoundException("acc.ShaJob")))));
    }

    @Test
    void noClassDefFound_namesTheClassWithDots() {
        assertEquals(missing("acc.Helper"), MissingClass.describe(wrapped(new NoClassDefFoundError("acc/Helper"))));
    }

    @Test
    void failedPeerLoad_namesTheClass() {
        assertEquals(missing("acc.ShaJob"), MissingClass.describe(wrapped(new IgniteException(
            "Failed to peer load class [class=acc.ShaJob, nodeClsLdrs={}, parentClsLoader=app]"))));
    }

    @Test
    void taskNotDeployed_namesTheTaskClass() {
        assertEquals(missing("acc.ShaJob"), MissingClass.describe(wrapped(new IgniteDeploymentException(
            "Task was not deployed or was redeployed since task execution [taskName=acc.ShaJob, "
                + "taskClsName=acc.ShaJob, codeVer=0, clsLdrId=1, seqNum=1, depMode=SHARED, dep=null]"))));
    }

    @Test
    void unknownBinaryType_quotesIgnite() {
        String m = MissingClass.describe(wrapped(new BinaryInvalidTypeException("Unknown pair [platformId=0, "
            + "typeId=42]")));
        assertTrue(m.startsWith("class (not named; Ignite said: Unknown pair [platformId=0, typeId=42]) is not on"), m);
    }

    @Test
    void otherFailures_keepTheirOwnMessage() {
        assertNull(MissingClass.describe(wrapped(new IllegalStateException("boom"))));
        assertEquals("boom", TaskRun.message(wrapped(new IllegalStateException("boom"))));
    }
}
