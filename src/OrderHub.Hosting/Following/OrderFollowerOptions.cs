using System.Globalization;

namespace OrderHub.Hosting;

/// <summary>What <see cref="OrderFollower"/> keeps fresh, bound from <c>OrderHub:Follower</c>.</summary>
public sealed class OrderFollowerOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "OrderHub:Follower";

    /// <summary>Gets the sources to follow, by name.</summary>
    /// <value>The default is empty: every configured source that can be followed (one with a change feed or a listing).</value>
    public IList<string> Sources { get; } = [];

    /// <summary>Gets or sets how far back a source's first poll reads, when no cursor is stored for it yet.</summary>
    /// <value>The default is 1 day.</value>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets the time between two polls; <see langword="null"/> for each source's own (the page quota's sustained rate).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// Gets or sets the time between two polls of a source whose notifications are consumed too (a registered
    /// <see cref="IOrderNotificationChannel"/>): the polls are then the backup, for notices delayed or lost, and spend
    /// less of the page quota; <see cref="PollInterval"/>, when set, wins.
    /// </summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan BackupPollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the wait before a source's follower starts again after it stopped on an error; it doubles, with jitter, up to <see cref="MaxRestartDelay"/>.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest wait between two restarts.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how far behind now a copy may be (its cursor's last completed window) before the health check says degraded.</summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Returns the sources and the intervals.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"OrderFollowerOptions {{ Sources = [{string.Join(", ", Sources)}], PollInterval = {PollInterval}, MaxLag = {MaxLag} }}");
}
