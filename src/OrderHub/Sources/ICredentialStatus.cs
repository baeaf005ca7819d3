namespace OrderHub;

/// <summary>What a source's upstream last said of its credentials.</summary>
public enum CredentialState
{
    /// <summary>No call has told yet.</summary>
    Unknown,

    /// <summary>The last call that could tell was let in (an order read, or not found: either way the credentials worked).</summary>
    Accepted,

    /// <summary>The last call that could tell was refused as unauthenticated or unauthorized.</summary>
    Rejected,
}

/// <summary>A source that tells whether its credentials were last accepted, for health checks.</summary>
public interface ICredentialStatus
{
    /// <summary>Gets what the upstream last said of the credentials.</summary>
    CredentialState CredentialState { get; }
}

/// <summary>Keeps a source's <see cref="CredentialState"/> from the outcomes of its calls; thread-safe.</summary>
public sealed class CredentialStateTracker : ICredentialStatus
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

    private void Set(CredentialState state) => Volatile.Write(ref _state, (int)state);
}
