using System.Text.RegularExpressions;

namespace OrderHub;

/// <summary>The format of the order ids a source recognizes, with words for people and an example.</summary>
public sealed class OrderIdFormat
{
    private readonly Regex _pattern;

    /// <summary>Initializes a new instance of the <see cref="OrderIdFormat"/> class.</summary>
    /// <param name="description">The format in words, for example <c>3-7-7 digits</c>.</param>
    /// <param name="example">An id in the format.</param>
    /// <param name="pattern">A regular expression anchored at both ends that matches exactly the ids in the format.</param>
    public OrderIdFormat(string description, string example, Regex pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentException.ThrowIfNullOrWhiteSpace(example);
        ArgumentNullException.ThrowIfNull(pattern);
        Description = description;
        Example = example;
        _pattern = pattern;
        if (!IsMatch(example))
        {
            throw new ArgumentException($"The example '{example}' does not match the pattern '{pattern}'.", nameof(example));
        }
    }

    /// <summary>Gets the format in words.</summary>
    public string Description { get; }

    /// <summary>Gets an id in the format.</summary>
    public string Example { get; }

    /// <summary>Gets the regular expression the ids match.</summary>
    public string Pattern => _pattern.ToString();

    /// <summary>Tells whether an id is in the format.</summary>
    /// <param name="orderId">The id.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    /// <remarks>
    /// The whole id must match: a pattern ending in <c>$</c> would otherwise accept a trailing newline. Ids are ASCII
    /// whatever the pattern says: <c>\d</c> also matches Arabic-Indic and fullwidth digits, which no provider issues.
    /// </remarks>
    public bool IsMatch(string? orderId)
    {
        if (orderId is null || !System.Text.Ascii.IsValid(orderId))
        {
            return false;
        }

        var match = _pattern.Match(orderId);
        return match.Success && match.Index == 0 && match.Length == orderId.Length;
    }

    /// <summary>Throws <see cref="InvalidOrderRequestException"/>, naming the format, unless the id is in it.</summary>
    /// <param name="orderId">The id.</param>
    /// <param name="sourceName">The source the id was given to.</param>
    public void Validate(string? orderId, string sourceName)
    {
        if (!IsMatch(orderId))
        {
            throw new InvalidOrderRequestException(
                $"'{Shorten(orderId)}' is not a valid {sourceName} order id: expected {this}.",
                new OrderErrorContext(SourceName: sourceName, OrderId: orderId))
            {
                ParameterName = "orderId",
            };
        }
    }

    /// <summary>Returns the format in words with its example.</summary>
    /// <returns>For example <c>3-7-7 digits, like 902-3159896-1390916</c>.</returns>
    public override string ToString() => $"{Description}, like {Example}";

    /// <summary>Shortens an id for an error message, so a huge input does not flood logs.</summary>
    internal static string Shorten(string? value) => value switch
    {
        null => "(null)",
        { Length: > 64 } => string.Concat(value.AsSpan(0, 64), "..."),
        _ => value,
    };
}
