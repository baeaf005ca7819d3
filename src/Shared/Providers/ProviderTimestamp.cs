using System.Globalization;

namespace OrderHub.Providers;

/// <summary>Reads the timestamps providers send, exactly and always as UTC.</summary>
internal static class ProviderTimestamp
{
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    /// <summary>
    /// Parses an ISO-8601 date and time, with or without fractional seconds and with a <c>Z</c> or numeric offset
    /// (none means UTC), in the invariant culture.
    /// </summary>
    /// <param name="text">The text, for example <c>2017-01-20T19:49:35Z</c> or <c>2017-01-20T19:49:35.123+01:00</c>.</param>
    /// <param name="value">The instant, with a zero offset.</param>
    /// <returns><see langword="true"/> when the text is such a timestamp.</returns>
    public static bool TryParseIso8601(string? text, out DateTimeOffset value)
    {
        if (!string.IsNullOrWhiteSpace(text)
            && text.Length >= 10
            && char.IsAsciiDigit(text[0])
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Utc, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Converts an instant to seconds since the Unix epoch, fractional, as AWS JSON protocols write timestamps.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The seconds since 1970-01-01T00:00:00Z.</returns>
    public static decimal ToEpochSeconds(DateTimeOffset instant) =>
        (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (decimal)TimeSpan.TicksPerSecond;

    /// <summary>Converts seconds since the Unix epoch, possibly fractional (as AWS JSON protocols send them), to UTC.</summary>
    /// <param name="seconds">The seconds since 1970-01-01T00:00:00Z.</param>
    /// <returns>The instant, to the tick.</returns>
    public static DateTimeOffset FromEpochSeconds(decimal seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));
}
