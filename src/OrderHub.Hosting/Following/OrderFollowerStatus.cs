using System.Globalization;

namespace OrderHub.Hosting;

/// <summary>Where one source's follower stands.</summary>
public enum OrderFollowerState
{
    /// <summary>Started; no poll has finished yet.</summary>
    Starting,

    /// <summary>Polling: the last poll finished (or another process holds the cursor and this one stands by).</summary>
    Following,

    /// <summary>Stopped on an error, and waiting to start again.</summary>
    Restarting,

    /// <summary>Stopped with the host.</summary>
    Stopped,
}

/// <summary>One source's follower, as the health checks and <c>orderhub serve</c> read it.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Scope">The cursor's scope.</param>
/// <param name="State">Where it stands.</param>
/// <param name="LastProgressAt">When it last stored a page, on the host's clock.</param>
/// <param name="Restarts">How many times it started again after an error.</param>
/// <param name="LastError">The type and message of the error it last stopped on (never a secret or order content); <see langword="null"/> when none.</param>
/// <param name="LastErrorAt">When that was.</param>
public sealed record OrderFollowerSourceStatus(
    string Source,
    string Scope,
    OrderFollowerState State,
    DateTimeOffset? LastProgressAt,
    int Restarts,
    string? LastError,
    DateTimeOffset? LastErrorAt)
{
    /// <summary>Gets when notices of changes last came from the source's notification channel, when it has one.</summary>
    public DateTimeOffset? LastNoticeAt { get; init; }

    /// <summary>Gets how many notices the channel has delivered since the follower (re)started.</summary>
    public int Notices { get; init; }

    /// <summary>Returns the source, its state and the restarts.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"OrderFollowerSourceStatus {{ Source = {Source}, State = {State}, Restarts = {Restarts} }}");
}
