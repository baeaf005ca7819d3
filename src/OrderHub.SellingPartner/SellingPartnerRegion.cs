using System.ComponentModel;
using System.Globalization;

namespace OrderHub.SellingPartner;

/// <summary>
/// A Selling Partner API region; each has its own host and its own quota. In configuration either the name
/// (<c>Europe</c>) or the host's code (<c>eu</c>) is accepted.
/// </summary>
[TypeConverter(typeof(SellingPartnerRegionConverter))]
public enum SellingPartnerRegion
{
    /// <summary>North America: <c>sellingpartnerapi-na.amazon.com</c>.</summary>
    NorthAmerica = 0,

    /// <summary>Europe: <c>sellingpartnerapi-eu.amazon.com</c>.</summary>
    Europe,

    /// <summary>Far East: <c>sellingpartnerapi-fe.amazon.com</c>.</summary>
    FarEast,
}

/// <summary>The regions' hosts.</summary>
public static class SellingPartnerEndpoints
{
    /// <summary>Gets the short code of a region (<c>na</c>, <c>eu</c>, <c>fe</c>), as its host names it.</summary>
    /// <param name="region">The region.</param>
    /// <returns>The code.</returns>
    public static string Code(SellingPartnerRegion region) => region switch
    {
        SellingPartnerRegion.NorthAmerica => "na",
        SellingPartnerRegion.Europe => "eu",
        SellingPartnerRegion.FarEast => "fe",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "Expected NorthAmerica, Europe or FarEast."),
    };

    /// <summary>Gets the base address of a region's production or sandbox API.</summary>
    /// <param name="region">The region.</param>
    /// <param name="sandbox">Whether to use the sandbox host.</param>
    /// <returns>For example <c>https://sellingpartnerapi-na.amazon.com/</c>.</returns>
    public static Uri For(SellingPartnerRegion region, bool sandbox = false) =>
        new($"https://{(sandbox ? "sandbox." : string.Empty)}sellingpartnerapi-{Code(region)}.amazon.com/");

    /// <summary>Gets Login with Amazon's token endpoint.</summary>
    public static Uri LoginWithAmazon { get; } = new("https://api.amazon.com/auth/o2/token");
}

/// <summary>Reads a region from configuration as its name (<c>NorthAmerica</c>) or its host's code (<c>na</c>), and says which are accepted otherwise.</summary>
internal sealed class SellingPartnerRegionConverter : EnumConverter
{
    /// <summary>Initializes a new instance of the <see cref="SellingPartnerRegionConverter"/> class.</summary>
    public SellingPartnerRegionConverter()
        : base(typeof(SellingPartnerRegion))
    {
    }

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text)
        {
            foreach (var region in Enum.GetValues<SellingPartnerRegion>())
            {
                if (string.Equals(text.Trim(), SellingPartnerEndpoints.Code(region), StringComparison.OrdinalIgnoreCase)
                    || string.Equals(text.Trim(), region.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    return region;
                }
            }

            throw new FormatException($"'{text}' is not a Selling Partner region: expected na, eu or fe (or NorthAmerica, Europe, FarEast).");
        }

        return base.ConvertFrom(context, culture, value);
    }
}
