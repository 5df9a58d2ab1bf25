package io.fabricstitch.ignite.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.lang.IgniteClosure;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgniteFutureCancelledException;
import org.apache.ignite.lang.IgniteFutureTimeoutException;
import org.apache.ignite.lang.IgniteInClosure;

/**
 * An {@link IgniteFuture} over a {@link CompletableFuture}, using only Ignite's public API. {@link #cancel()} runs a
 * cancel action (which stops the task's job and releases its reservation) and completes the future as cancelled.
 * Not API.
 */
final class FabricFuture<V> implements IgniteFuture<V> {
    private final CompletableFuture<V> delegate;
    private final Runnable onCancel;

    FabricFuture(CompletableFuture<V> delegate, Runnable onCancel) {
        this.delegate = delegate;
        this.onCancel = onCancel;
    }

    @Override
    public V get() {
        try {
            return delegate.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IgniteException("interrupted while waiting for a fabric task", e);
        }
        catch (ExecutionException | CompletionException e) {
            throw unwrap(e);
        }
        catch (CancellationException e) {
            throw new IgniteFutureCancelledException("the fabric task was cancelled");
        }
    }

    @Override
    public V get(long timeout) {
        return get(timeout, TimeUnit.MILLISECONDS);
    }

    @Override
    public V get(long timeout, TimeUnit unit) {
        try {
            return delegate.get(timeout, unit);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IgniteException("interrupted while waiting for a fabric task", e);
        }
        catch (ExecutionException | CompletionException e) {
            throw unwrap(e);
        }
        catch (CancellationException e) {
            throw new IgniteFutureCancelledException("the fabric task was cancelled");
        }
        catch (TimeoutException e) {
            throw new IgniteFutureTimeoutException("the fabric task did not finish within " + timeout + ' '
                + unit.name().toLowerCase(java.util.Locale.ROOT) + " (it keeps running)");
        }
    }

    private static RuntimeException unwrap(Exception e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        if (c instanceof RuntimeException)
            return (RuntimeException)c;
        if (c instanceof Error)
            throw (Error)c;
        return new IgniteException(c.getMessage(), c);
    }

    /**
     * Completes the future as cancelled, then runs the cancel action. In that order: the action stops the task's job,
     * and the task's own thread then ends the future with the job's error, which would otherwise win the race and make
     * a cancel that did stop the task return false.
     */
    @Override
    public boolean cancel() {
        if (!delegate.cancel(false))
            return false;
        onCancel.run();
        return true;
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }

    @Override
    public boolean isDone() {
        return delegate.isDone();
    }

    @Override
    public void listen(IgniteInClosure<? super IgniteFuture<V>> lsnr) {
        delegate.whenComplete((v, e) -> lsnr.apply(this));
    }

    @Override
    public void listenAsync(IgniteInClosure<? super IgniteFuture<V>> lsnr, Executor exec) {
        delegate.whenCompleteAsync((v, e) -> lsnr.apply(this), exec);
    }

    @Override
    public <T> IgniteFuture<T> chain(IgniteClosure<? super IgniteFuture<V>, T> doneCb) {
        return new FabricFuture<>(delegate.handle((v, e) -> doneCb.apply(this)), () -> { });
    }

    @Override
    public <T> IgniteFuture<T> chainAsync(IgniteClosure<? super IgniteFuture<V>, T> doneCb, Executor exec) {
        return new FabricFuture<>(delegate.handleAsync((v, e) -> doneCb.apply(this), exec), () -> { });
    }
}
