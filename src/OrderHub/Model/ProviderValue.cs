namespace OrderHub;

/// <summary>
/// A value from a provider's enumeration: the unified member it maps to and the exact string the provider sent.
/// </summary>
/// <typeparam name="TEnum">A unified enumeration whose zero member is <c>Unknown</c>.</typeparam>
/// <param name="Value">The unified member; <c>Unknown</c> (zero) when the provider sent a value this version does not know.</param>
/// <param name="Raw">The provider's string, exactly as sent; empty when the provider sent nothing.</param>
/// <remarks>
/// Providers add enumeration values over time (Outposts added <c>DELIVERED</c>, <c>REPLACED</c>, <c>EXPEDITORS</c> and
/// <c>FIVE_YEARS</c> after release). An unknown value never throws: it maps to <c>Unknown</c> and keeps <see cref="Raw"/>.
/// </remarks>
public readonly record struct ProviderValue<TEnum>(TEnum Value, string Raw)
    where TEnum : struct, Enum
{
    /// <summary>Gets a value indicating whether <see cref="Raw"/> maps to a known unified member.</summary>
    public bool IsKnown => !EqualityComparer<TEnum>.Default.Equals(Value, default);

    /// <summary>Returns <see cref="Raw"/>.</summary>
    /// <returns>The provider's string.</returns>
    public override string ToString() => Raw;
}
