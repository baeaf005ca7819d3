namespace OrderHub.Providers;

/// <summary>Keeps a source's <see cref="CredentialState"/> from the outcomes of its calls; thread-safe.</summary>
internal sealed class CredentialStateTracker : ICredentialStatus
{
    private int _state;

    /// <inheritdoc />
    public CredentialState CredentialState => (CredentialState)Volatile.Read(ref _state);

    /// <summary>Runs a call and notes what its outcome says of the credentials: a result or a not-found is accepted, an authentication error rejected, anything else says nothing.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>The call's result.</returns>
    public async Task<T> TrackAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var result = await call().ConfigureAwait(false);
            Set(CredentialState.Accepted);
            return result;
        }
        catch (OrderNotFoundException)
        {
            Set(CredentialState.Accepted);
            throw;
        }
        catch (OrderSourceAuthenticationException)
        {
            Set(CredentialState.Rejected);
            throw;
        }
    }

    /// <summary>Enumerates a call's pages and notes what they say of the credentials: the first page accepts them, an authentication error rejects them.</summary>
    /// <typeparam name="T">The items.</typeparam>
    /// <param name="items">The call's items.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The same items.</returns>
    public async IAsyncEnumerable<T> TrackAsync<T>(IAsyncEnumerable<T> items, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (OrderSourceAuthenticationException)
                {
                    Set(CredentialState.Rejected);
                    throw;
                }

                Set(CredentialState.Accepted);
                yield return enumerator.Current;
            }
        }
    }

    private void Set(CredentialState state) => Volatile.Write(ref _state, (int)state);
}
