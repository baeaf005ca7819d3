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
