package io.fabricstitch.ignite.internal;

import org.apache.ignite.internal.GridInternalWrapper;

/**
 * The one place Fabric Stitch touches Ignite's internal API, which has no compatibility promise: checked against
 * Ignite 2.17. Not API. ({@link UserCodeTask} is the other: Ignite looks for its internal interface on the task
 * itself, so it cannot live here.)
 */
public final class IgniteInternals {
    private IgniteInternals() {
    }

    /**
     * The user's object inside a job Ignite made from a closure ({@code compute().call(callable)} wraps the callable
     * in an internal job class); the job itself otherwise.
     */
    public static Object userObject(Object job) {
        Object o = job;
        for (int depth = 0; depth < 4 && o instanceof GridInternalWrapper; depth++) {
            Object inner = ((GridInternalWrapper<?>)o).userObject();
            if (inner == null || inner == o)
                break;
            o = inner;
        }
        return o;
    }
}
