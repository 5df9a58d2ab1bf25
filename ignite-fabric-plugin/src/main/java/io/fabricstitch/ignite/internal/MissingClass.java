package io.fabricstitch.ignite.internal;

import org.apache.ignite.IgniteDeploymentException;
import org.apache.ignite.binary.BinaryInvalidTypeException;

/**
 * A job that failed because its node could not load one of its classes, told as such: the class, and the two ways
 * to put the application's classes on the servers. Ignite reports it in several forms, none of which says what to
 * do: a {@code ClassNotFoundException} or {@code NoClassDefFoundError} (its message only the class name), a
 * {@code BinaryInvalidTypeException}, "Failed to peer load class [class=...]", or, with peer class loading off, "Task
 * was not deployed or was redeployed since task execution [... taskClsName=...]".
 */
final class MissingClass {
    /** What to do, in the caller's message and in docs/troubleshooting.md. */
    static final String FIX = "expected: the application's classes on every server: either "
        + "peerClassLoadingEnabled=true on every node (servers then load them from the caller), or the application's "
        + "jar in <fabric home>/lib/ext on every server or given with bin/fabric node --classpath JAR; see "
        + "docs/troubleshooting.md, \"class ... is not on the servers\"";

    private static final String PEER_LOAD = "Failed to peer load class [class=";
    private static final String NOT_DEPLOYED = "Task was not deployed or was redeployed since task execution";
    private static final String TASK_CLASS = "taskClsName=";

    private MissingClass() {
    }

    /** The message for a missing class in {@code e}'s causes, or null when no class was missing. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = className(t);
            if (name != null)
                return "class " + name + " is not on the servers' class path and was not peer-loaded from the caller ("
                    + FIX + ')';
            if (t.getCause() == t)
                break;
        }
        return null;
    }

    /**
     * The class {@code t} says is missing (a name, or what Ignite said instead of one); null when {@code t} says no
     * class is missing.
     */
    private static String className(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage();
        if (msg.startsWith(PEER_LOAD))
            return upTo(msg.substring(PEER_LOAD.length()), ",]");
        if (t instanceof ClassNotFoundException)
            return nameOrSaid(msg);
        if (t instanceof NoClassDefFoundError)
            return nameOrSaid(msg.replace('/', '.'));
        if ((t instanceof IgniteDeploymentException || msg.startsWith(NOT_DEPLOYED)) && msg.contains(TASK_CLASS))
            return upTo(msg.substring(msg.indexOf(TASK_CLASS) + TASK_CLASS.length()), ",]");
        if (t instanceof BinaryInvalidTypeException && t.getCause() == null)
            return nameOrSaid(msg);
        return null;
    }

    /** {@code msg} when it is a class name, else a stand-in that quotes it. */
    private static String nameOrSaid(String msg) {
        String m = msg.trim();
        return m.matches("[\\w.$/]+") ? m : "(not named; Ignite said: " + m + ")";
    }

    private static String upTo(String s, String stops) {
        int end = s.length();
        for (char c : stops.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && i < end)
                end = i;
        }
        return s.substring(0, end).trim();
    }
}
