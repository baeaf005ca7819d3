using System.Text.RegularExpressions;

namespace OrderHub;

/// <summary>
/// The order id formats of the marketplaces OrderHub has sources for. The lookup knows them even when no source of that
/// marketplace is configured, so an id it cannot route says what to configure.
/// </summary>
public static partial class KnownOrderIdFormats
{
    /// <summary>Gets the format of Amazon order ids (Selling Partner API): 3-7-7 ASCII digits.</summary>
    public static OrderIdFormat AmazonOrderId { get; } = new("3-7-7 digits", "902-3159896-1390916", AmazonOrderIdPattern());

    /// <summary>Gets the format of AWS Outposts order ids: <c>oo-</c> and 17 lowercase hex digits.</summary>
    public static OrderIdFormat OutpostsOrderId { get; } = new("'oo-' and 17 lowercase hex digits", "oo-0123456789abcdef0", OutpostsOrderIdPattern());

    /// <summary>Gets each known format with the marketplace it belongs to and how to configure a source for it.</summary>
    public static IReadOnlyList<(string Marketplace, OrderIdFormat Format, string HowToConfigure)> All { get; } =
    [
        ("Amazon Selling Partner", AmazonOrderId, "AddSellingPartner(...) or OrderHub:Sources:<name>:Provider = SellingPartner"),
        ("AWS Outposts", OutpostsOrderId, "AddAwsOutposts(...) or OrderHub:Sources:<name>:Provider = AwsOutposts"),
    ];

    [GeneratedRegex("^[0-9]{3}-[0-9]{7}-[0-9]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex AmazonOrderIdPattern();

    [GeneratedRegex("^oo-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex OutpostsOrderIdPattern();
}
