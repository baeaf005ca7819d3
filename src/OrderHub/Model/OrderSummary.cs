using System.Globalization;

namespace OrderHub;

/// <summary>An order as an enumeration lists it: less than <see cref="Order"/>, enough to choose what to read.</summary>
public sealed record OrderSummary
{
    /// <summary>Gets the name of the source the order came from.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the provider's id of the order.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets the account or container the order belongs to.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the unified status with the provider's raw string.</summary>
    public required ProviderValue<OrderStatus> Status { get; init; }

    /// <summary>Gets the unified kind of order.</summary>
    public ProviderValue<OrderType>? Type { get; init; }

    /// <summary>Gets when the order was placed, in UTC.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the order was fulfilled, in UTC.</summary>
    public DateTimeOffset? FulfilledAt { get; init; }

    /// <summary>Gets how many lines are in each status, keyed by the provider's raw line status.</summary>
    public IReadOnlyDictionary<string, int> LineCountsByStatus { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets the provider's original payload for this summary.</summary>
    public RawPayload? RawPayload { get; init; }

    /// <summary>Returns the summary's source, id and status.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"OrderSummary {{ Source = {Source}, OrderId = {OrderId}, Status = {Status.Value} ({Status.Raw}) }}");
}
