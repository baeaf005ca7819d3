using System.Collections.ObjectModel;

namespace OrderHub.Providers;

/// <summary>
/// A provider's table from its enumeration strings to a unified enumeration. Strings it does not hold map to
/// <c>Unknown</c> with the raw string kept, so a value the provider adds later never throws.
/// </summary>
/// <typeparam name="TEnum">A unified enumeration whose zero member is <c>Unknown</c>.</typeparam>
public sealed class ProviderValueMap<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<string, TEnum> _map;

    private readonly ReadOnlyDictionary<string, TEnum> _entries;

    /// <summary>Initializes a new instance of the <see cref="ProviderValueMap{TEnum}"/> class.</summary>
    /// <param name="entries">Each provider string and the unified member it maps to.</param>
    public ProviderValueMap(IEnumerable<KeyValuePair<string, TEnum>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // Providers are case-exact, but a change in casing is not a new meaning: match ignoring case, keep the raw string.
        // A plain dictionary rather than a frozen one: these tables hold a dozen strings, and freezing one costs a
        // process that reads one order more at start (a cold "orderhub get") than all its look-ups save.
        _map = new Dictionary<string, TEnum>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in entries)
        {
            _map[key] = value;
        }

        _entries = _map.AsReadOnly();
    }

    /// <summary>Gets every provider string this map knows, with its unified member.</summary>
    public IReadOnlyDictionary<string, TEnum> Entries => _entries;

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
