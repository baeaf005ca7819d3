using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>
/// Every call of a store goes through here: the store is opened on the first call (once, however many calls arrive
/// together; a failed open is tried again by the next call, as a database that comes back is usable again), and the
/// driver's errors leave as <see cref="OrderStoreException"/>s naming the store.
/// </summary>
/// <remarks>
/// A store registered in DI is made without I/O and opened here, asynchronously, so resolving it never blocks a thread
/// on the database; a store opened by its <c>OpenAsync</c> is opened here at once.
/// </remarks>
internal sealed class StoreCalls
{
    private readonly Func<CancellationToken, Task> _open;
    private readonly Func<Exception, bool> _isDriverError;
    private readonly Func<Exception, OrderStoreException> _translate;
    private readonly Type _storeType;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private Task? _opening;
    private bool _closed;

    /// <param name="storeType">The store's type, for calls after it is closed.</param>
    /// <param name="open">Opens the store; its errors are <see cref="OrderStoreException"/>s already. Its token is cancelled when the store is closed.</param>
    /// <param name="isDriverError">Tells the driver's errors, which <paramref name="translate"/> turns into the store's.</param>
    /// <param name="translate">Names the store and what to do about the error.</param>
    public StoreCalls(Type storeType, Func<CancellationToken, Task> open, Func<Exception, bool> isDriverError, Func<Exception, OrderStoreException> translate)
    {
        _storeType = storeType;
        _open = open;
        _isDriverError = isDriverError;
        _translate = translate;
    }

    /// <summary>Gets a value indicating whether the store is open.</summary>
    public bool IsOpen => Volatile.Read(ref _opening) is { IsCompletedSuccessfully: true };

    /// <summary>Opens the store if no call has yet; callers that arrive while it opens share that open.</summary>
    /// <param name="cancellationToken">Stops this caller's wait; the open goes on for the others.</param>
    /// <returns>A task that completes when the store is open.</returns>
    /// <exception cref="OrderStoreException">The store cannot be opened; the message says why and what to do.</exception>
    /// <exception cref="ObjectDisposedException">The store is closed.</exception>
    public Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        var opening = Volatile.Read(ref _opening);
        if (opening is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        TaskCompletionSource? started = null;
        lock (_lock)
        {
            if (_closed)
            {
                return Task.FromException(new ObjectDisposedException(_storeType.FullName));
            }

            if (_opening is null or { IsFaulted: true } or { IsCanceled: true })
            {
                started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _opening, started.Task);
            }

            opening = _opening;
        }

        if (started is not null)
        {
            // Outside the lock: a driver that opens synchronously does so on this thread, and the others wait on the task.
            _ = OpenAsync(started);
        }

        return opening.IsCompleted ? opening : opening.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a call on the open store, with the driver's errors translated.</summary>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the wait for the open (the call takes its own).</param>
    /// <returns>What the call returns.</returns>
    public async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (_isDriverError(e))
        {
            throw _translate(e);
        }
    }

    /// <summary>Closes: no call opens the store again, and an open under way is stopped and awaited.</summary>
    /// <returns><see langword="true"/> for the first close of an open store (the caller then releases what the open made).</returns>
    public async ValueTask<bool> CloseAsync()
    {
        Task? opening;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            opening = _opening;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (opening is not null)
        {
            await opening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _lifetime.Dispose();
        return opening is { IsCompletedSuccessfully: true };
    }

    private async Task OpenAsync(TaskCompletionSource opened)
    {
        try
        {
            await _open(_lifetime.Token).ConfigureAwait(false);
            opened.SetResult();
        }
        catch (OperationCanceledException e)
        {
            opened.SetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            opened.SetException(e);
        }
    }
}
