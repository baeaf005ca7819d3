using System.Collections.Frozen;

namespace OrderHub.Providers;

/// <summary>
/// A provider's table from its enumeration strings to a unified enumeration. Strings it does not hold map to
/// <c>Unknown</c> with the raw string kept, so a value the provider adds later never throws.
/// </summary>
/// <typeparam name="TEnum">A unified enumeration whose zero member is <c>Unknown</c>.</typeparam>
public sealed class ProviderValueMap<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<string, TEnum> _map;

    /// <summary>Initializes a new instance of the <see cref="ProviderValueMap{TEnum}"/> class.</summary>
    /// <param name="entries">Each provider string and the unified member it maps to.</param>
    public ProviderValueMap(IEnumerable<KeyValuePair<string, TEnum>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // Providers are case-exact, but a change in casing is not a new meaning: match ignoring case, keep the raw string.
        _map = entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets every provider string this map knows, with its unified member.</summary>
    public IReadOnlyDictionary<string, TEnum> Entries => _map;

    /// <summary>Maps a provider string; an unknown string maps to <c>Unknown</c>.</summary>
    /// <param name="raw">The provider's string.</param>
    /// <returns>The unified member with the raw string.</returns>
    public ProviderValue<TEnum> Map(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new ProviderValue<TEnum>(_map.TryGetValue(raw, out var value) ? value : default, raw);
    }

    /// <summary>Maps a provider string that may be absent.</summary>
    /// <param name="raw">The provider's string, or <see langword="null"/> when the field was absent.</param>
    /// <returns>The unified member with the raw string, or <see langword="null"/>.</returns>
    public ProviderValue<TEnum>? MapOptional(string? raw) => raw is null ? null : Map(raw);
}
