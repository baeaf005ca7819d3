namespace OrderHub.Emulator.SellingPartner.Notifications;

/// <summary>
/// How the emulator delivers <c>ORDER_CHANGE</c> notifications to a subscribed queue when its orders change
/// (<see cref="Hosting.EmulatorOptions.SpOrderChangeInterval"/>): Amazon promises at-least-once delivery in no particular
/// order, so a delivery may come late, twice or before an earlier one. Every draw comes from the emulator's seed.
/// </summary>
public sealed class SpNotificationOptions
{
    /// <summary>Gets or sets how long after a change its notification reaches the queue. The default is zero.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// Gets or sets the most each notification is held back beyond <see cref="Delay"/>, drawn anew for each, so
    /// notifications sent within this span of each other may arrive in either order. The default is zero: in order.
    /// </summary>
    public TimeSpan ReorderWindow { get; set; }

    /// <summary>Gets or sets the share of notifications (0 to 1) delivered twice, the same notification id in two messages. The default is 0.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Gets or sets the Notifications API's rate per operation, per seller or per application. The default is 1 request per second, as Amazon's.</summary>
    public double Rate { get; set; } = 1;

    /// <summary>Gets or sets the Notifications API's burst per operation. The default is 5, as Amazon's.</summary>
    public int Burst { get; set; } = 5;

    /// <summary>Refuses a setting the emulator cannot run with, naming it.</summary>
    internal void Validate()
    {
        if (Delay < TimeSpan.Zero || Delay > MaxDelay || ReorderWindow < TimeSpan.Zero || Delay + ReorderWindow > MaxDelay)
        {
            throw new ArgumentException("SpNotifications.Delay and ReorderWindow cannot be negative, and together at most 15 minutes (SQS's longest delay).");
        }

        if (DuplicateRate is < 0 or > 1 || double.IsNaN(DuplicateRate))
        {
            throw new ArgumentException("SpNotifications.DuplicateRate is a share of notifications, from 0 to 1.");
        }

        if (!(Rate > 0) || Burst < 1)
        {
            throw new ArgumentException("SpNotifications: the rate must be more than 0 and the burst at least 1.");
        }
    }

    private static TimeSpan MaxDelay => TimeSpan.FromMinutes(15);
}
