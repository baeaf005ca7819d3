namespace OrderHub.SellingPartner.Mapping;

/// <summary>Reads the Orders API's strings that carry typed values (amounts) and the windows of dates, the same in every version.</summary>
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

    /// <summary>A window whose ends may each be absent; both absent is no window.</summary>
    public static TimeWindow? Window(DateTimeOffset? earliest, DateTimeOffset? latest) =>
        earliest is null && latest is null ? null : new TimeWindow(earliest, latest);
}
