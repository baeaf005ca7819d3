namespace OrderHub.Sync;

/// <summary>A named consumer of the change log (a webhook subscription, a named reader), as the store keeps it.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="Position">The last position it handled.</param>
/// <param name="UpdatedAt">When its position was last stored, on the store's clock.</param>
/// <param name="FailingSince">Since when it is marked failing; <see langword="null"/> while it is not.</param>
/// <param name="Failure">What it failed on, as its owner described it (never a secret or order content).</param>
public sealed record OrderChangeConsumer(string Name, long Position, DateTimeOffset UpdatedAt, DateTimeOffset? FailingSince, string? Failure);
