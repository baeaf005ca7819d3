namespace OrderHub.Providers;

/// <summary>
/// The options every source has: its name in the lookup. Every provider's options implement it (through
/// <see cref="UpstreamClientOptions"/> for OrderHub's own), so that <see cref="OrderSourceRegistration"/> can name,
/// bind and validate them the same way.
/// </summary>
public interface IOrderSourceOptions
{
    /// <summary>Gets or sets the source's name; a registration sets it to the name it was given.</summary>
    string SourceName { get; set; }
}
