namespace OrderHub.SellingPartner.Mapping;

/// <summary>Reads the Orders API's strings that carry typed values (amounts, dates), the same in every version.</summary>
internal static class WireValues
{
    /// <summary>Reads an amount and its currency; an absent amount is no money, an unreadable one a wire-format error.</summary>
    public static Money? Money(string? amount, string? currencyCode, string field)
    {
        if (amount is null)
        {
            return null;
        }

        return OrderHub.Money.TryParseAmount(amount, out var value)
            ? new Money(value, currencyCode)
            : throw new WireFormatException(field);
    }

    /// <summary>Reads an ISO-8601 timestamp, with or without fractional seconds.</summary>
    public static DateTimeOffset? Timestamp(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        return ProviderTimestamp.TryParseIso8601(text, out var value) ? value : throw new WireFormatException(field);
    }

    /// <summary>Reads a window whose ends may each be absent; both absent is no window.</summary>
    public static TimeWindow? Window(string? earliest, string earliestField, string? latest, string latestField) =>
        earliest is null && latest is null ? null : new TimeWindow(Timestamp(earliest, earliestField), Timestamp(latest, latestField));
}
