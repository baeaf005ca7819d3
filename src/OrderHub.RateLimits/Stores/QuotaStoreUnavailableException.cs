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

    /// <summary>Initializes a new instance of the <see cref="QuotaStoreUnavailableException"/> class.</summary>
    /// <param name="message">What failed and what to fix.</param>
    /// <param name="innerException">The store client's error.</param>
    /// <param name="isTransient">Whether the store may become usable on its own (see <see cref="IsTransient"/>).</param>
    public QuotaStoreUnavailableException(string message, Exception? innerException, bool isTransient)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>
    /// Gets whether the store may become usable on its own (down, unreachable, locked), so a caller that may wait
    /// keeps trying; <see langword="false"/> when a setting is wrong (Redis refused the password), which waiting
    /// cannot fix, so every caller fails at once. The default is <see langword="true"/>.
    /// </summary>
    public bool IsTransient { get; } = true;
}
