namespace OrderHub;

/// <summary>A window of time, such as the dates an order must ship or be delivered between.</summary>
/// <param name="Earliest">The start of the window, in UTC.</param>
/// <param name="Latest">The end of the window, in UTC.</param>
public sealed record TimeWindow(DateTimeOffset? Earliest, DateTimeOffset? Latest);
