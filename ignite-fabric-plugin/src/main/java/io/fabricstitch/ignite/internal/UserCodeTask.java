package io.fabricstitch.ignite.internal;

import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.internal.util.lang.GridPeerDeployAware;

/**
 * A compute task of ours that carries user code (a closure): Ignite deploys it as the user's class, not as ours, so
 * that peer class loading works. Not API.
 * <p>
 * Why: Ignite 2.17 deploys a task by its class ({@code GridTaskProcessor.startTask}); the executing node then looks
 * that class name up on its own class path first ({@code GridDeploymentManager.getGlobalDeployment}, SHARED mode,
 * "reusing local deployment") and unmarshals the job with the class loader it found. Our task class is on every
 * server's class path (the plugin jar), so the job, and the user's closure inside it, were unmarshalled by the
 * server's application class loader, which cannot see the closure's class: {@code ClassNotFoundException}, never a
 * peer-class-loading request. A task that is a {@link GridPeerDeployAware} is deployed by {@link #deployClass()} and
 * {@link #classLoader()} instead (Ignite's own closure tasks do the same, and the interface's Javadoc invites user
 * wrappers to). The executing node then does not find the user's class locally and makes a peer class loader for
 * it, whose parent is its own class loader: our classes still come from the node's plugin jar, the user's from the
 * caller.
 */
public abstract class UserCodeTask<A, R> extends ComputeTaskAdapter<A, R> implements GridPeerDeployAware {
    private static final long serialVersionUID = 1L;

    /** The user's object this task carries, or null when it carries none (then it deploys as itself). */
    protected abstract Object userObject();

    @Override
    public Class<?> deployClass() {
        Object user = userObject();
        return user == null ? getClass() : user.getClass();
    }

    @Override
    public ClassLoader classLoader() {
        ClassLoader ldr = deployClass().getClassLoader();
        return ldr != null ? ldr : UserCodeTask.class.getClassLoader();
    }
}
