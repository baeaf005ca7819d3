using System.Globalization;

namespace OrderHub;

/// <summary>An amount of money: an exact <see cref="decimal"/> and its ISO 4217 currency code. Never a binary floating point.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="CurrencyCode">The ISO 4217 currency code, or <see langword="null"/> when the provider sent none.</param>
public readonly record struct Money(decimal Amount, string? CurrencyCode)
{
    private const NumberStyles AmountStyle =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    /// <summary>Parses an amount sent as a string (for example <c>"11.01"</c>) exactly, in the invariant culture.</summary>
    /// <param name="amount">The amount as the provider wrote it.</param>
    /// <param name="result">The parsed amount.</param>
    /// <returns><see langword="true"/> when <paramref name="amount"/> is a plain decimal number.</returns>
    public static bool TryParseAmount(string? amount, out decimal result) =>
        decimal.TryParse(amount, AmountStyle, CultureInfo.InvariantCulture, out result);

    /// <summary>Returns the amount in the invariant culture followed by the currency code.</summary>
    /// <returns>For example <c>11.01 USD</c>.</returns>
    public override string ToString() =>
        CurrencyCode is null
            ? Amount.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Amount} {CurrencyCode}");
}
