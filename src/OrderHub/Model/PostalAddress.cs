namespace OrderHub;

/// <summary>
/// A postal address. It is personal data: <see cref="ToString"/> never prints it, and
/// <see cref="Order.WithoutPersonalData"/> removes it.
/// </summary>
public sealed record PostalAddress
{
    /// <summary>Gets the name of the person or business at the address.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the company name.</summary>
    public string? CompanyName { get; init; }

    /// <summary>Gets the first street address line.</summary>
    public string? AddressLine1 { get; init; }

    /// <summary>Gets the second street address line.</summary>
    public string? AddressLine2 { get; init; }

    /// <summary>Gets the third street address line.</summary>
    public string? AddressLine3 { get; init; }

    /// <summary>Gets the city.</summary>
    public string? City { get; init; }

    /// <summary>Gets the county.</summary>
    public string? County { get; init; }

    /// <summary>Gets the district.</summary>
    public string? District { get; init; }

    /// <summary>Gets the state or region.</summary>
    public string? StateOrRegion { get; init; }

    /// <summary>Gets the municipality.</summary>
    public string? Municipality { get; init; }

    /// <summary>Gets the postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Gets the ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Gets the phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets whether the address is residential or commercial.</summary>
    public ProviderValue<AddressType>? AddressType { get; init; }

    /// <summary>Gets the street name, where the provider splits the street line.</summary>
    public string? StreetName { get; init; }

    /// <summary>Gets the house number, where the provider splits the street line.</summary>
    public string? StreetNumber { get; init; }

    /// <summary>Gets the address complement (floor, apartment).</summary>
    public string? Complement { get; init; }

    /// <summary>Gets the neighborhood.</summary>
    public string? Neighborhood { get; init; }

    /// <summary>Gets the latitude of the address, in degrees.</summary>
    public double? Latitude { get; init; }

    /// <summary>Gets the longitude of the address, in degrees.</summary>
    public double? Longitude { get; init; }

    /// <summary>Returns a placeholder: an address is personal data and is never written out by <c>ToString</c>.</summary>
    /// <returns>A fixed placeholder.</returns>
    public override string ToString() => "PostalAddress { (personal data hidden) }";
}
