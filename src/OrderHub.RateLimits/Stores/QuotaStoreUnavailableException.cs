namespace OrderHub.RateLimits;

/// <summary>
/// The shared rate-limit store cannot be used (Redis down, the file locked or unwritable). The message names the store
/// and what to fix; it never holds a password. No request was sent on a permit the store did not grant.
/// </summary>
public sealed class QuotaStoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="QuotaStoreUnavailableException"/> class.</summary>
    public QuotaStoreUnavailableException()
        : this("The shared rate-limit store cannot be used.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QuotaStoreUnavailableException"/> class.</summary>
    /// <param name="message">What failed and what to fix.</param>
    public QuotaStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QuotaStoreUnavailableException"/> class.</summary>
    /// <param name="message">What failed and what to fix.</param>
    /// <param name="innerException">The store client's error.</param>
    public QuotaStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
