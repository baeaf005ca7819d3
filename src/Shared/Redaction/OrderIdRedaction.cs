using System.Text.RegularExpressions;

namespace OrderHub.Redaction;

/// <summary>
/// Finds the order ids of every marketplace OrderHub knows (<see cref="KnownOrderIdFormats"/>) inside free text (a URL,
/// a path, a log message) and replaces each with <see cref="Placeholder"/>: ids are customer data, and telemetry leaves
/// the process.
/// </summary>
internal static class OrderIdRedaction
{
    /// <summary>What stands for an order id in redacted text, as in a route template.</summary>
    public const string Placeholder = "{orderId}";

    // Every known format, without its anchors, standing on its own: not inside a longer run of letters and digits (a
    // path segment, a word of a sentence, a query value). The formats are ASCII-only, like the ids.
    private static readonly Regex Ids = new(
        "(?<![A-Za-z0-9])(?:" + string.Join('|', KnownOrderIdFormats.All.Select(known => Unanchored(known.Format.Pattern))) + ")(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    /// <summary>Replaces every order id in a text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="redacted">The text without order ids; the text itself when it held none.</param>
    /// <returns><see langword="true"/> when the text held an order id.</returns>
    public static bool TryRedact(string? text, out string redacted)
    {
        redacted = text ?? string.Empty;

        // Every known format has a hyphen: most texts are passed over without running the expression.
        if (text is null || !text.Contains('-', StringComparison.Ordinal))
        {
            return false;
        }

        redacted = Ids.Replace(text, Placeholder);
        return !ReferenceEquals(redacted, text) && !string.Equals(redacted, text, StringComparison.Ordinal);
    }

    /// <summary>Replaces every order id in a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without order ids.</returns>
    public static string Redact(string text) => TryRedact(text, out var redacted) ? redacted : text;

    // The formats are documented as anchored at both ends (^...$); inside a text they are looked for anywhere.
    private static string Unanchored(string pattern) => pattern.TrimStart('^').TrimEnd('$');
}
