using System.Globalization;

namespace OrderHub;

/// <summary>
/// An order from any source, in one model. Common concepts are typed members; what only one provider has is in
/// <see cref="ProviderDetails"/>; the provider's original payload is kept in <see cref="RawPayload"/>, so nothing the
/// provider sent is lost.
/// </summary>
public sealed record Order
{
    /// <summary>Gets the name of the source the order came from (for example <c>sp-api</c> or <c>outposts</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Gets the provider's id of the order.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets the seller's own id of the order, where the provider has one.</summary>
    public string? SellerOrderId { get; init; }

    /// <summary>Gets the account or container the order belongs to: the Outpost id for Outposts, the marketplace id for Selling Partner.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the unified status with the provider's raw string. An absent status is <c>Unknown</c> with an empty raw string.</summary>
    public required ProviderValue<OrderStatus> Status { get; init; }

    /// <summary>Gets the unified kind of order with the provider's raw string.</summary>
    public ProviderValue<OrderType>? Type { get; init; }

    /// <summary>Gets when the order was placed or submitted, in UTC.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the provider last changed the order, in UTC.</summary>
    public DateTimeOffset? LastUpdatedAt { get; init; }

    /// <summary>Gets when the order was fulfilled, in UTC.</summary>
    public DateTimeOffset? FulfilledAt { get; init; }

    /// <summary>Gets the order's lines.</summary>
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];

    /// <summary>Gets the order's total.</summary>
    public Money? Total { get; init; }

    /// <summary>Gets how the order is paid for.</summary>
    public OrderPayment? Payment { get; init; }

    /// <summary>Gets how and when the order ships, and where to.</summary>
    public OrderShipping? Shipping { get; init; }

    /// <summary>Gets the id of the order this one replaces.</summary>
    public string? ReplacesOrderId { get; init; }

    /// <summary>Gets the id of the quote the order was created from.</summary>
    public string? QuoteId { get; init; }

    /// <summary>Gets the id of the quote option the order was created from.</summary>
    public string? QuoteOptionId { get; init; }

    /// <summary>Gets the part of the order only this order's provider has.</summary>
    public ProviderOrderDetails? ProviderDetails { get; init; }

    /// <summary>Gets the provider's original payload for this order, exactly as received.</summary>
    public RawPayload? RawPayload { get; init; }

    /// <summary>
    /// Gets how much of the order this copy holds: <see cref="OrderCompleteness.Full"/> (the default, left out of the
    /// unified JSON) or <see cref="OrderCompleteness.Partial"/>, read from a bulk export such as an order report.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public OrderCompleteness Completeness { get; init; }

    /// <summary>
    /// Gets why personal data is missing, when it was asked for and the provider gave none or not all of it;
    /// <see langword="null"/> when it came, or was not asked for.
    /// </summary>
    public PersonalDataWithheld? PersonalDataWithheld { get; init; }

    /// <summary>Gets the provider-specific part as the given type.</summary>
    /// <typeparam name="TDetails">The provider's details type.</typeparam>
    /// <returns>The details, or <see langword="null"/> when the order came from another provider.</returns>
    public TDetails? GetProviderDetails<TDetails>()
        where TDetails : ProviderOrderDetails => ProviderDetails as TDetails;

    /// <summary>
    /// Returns a copy without personal data: no shipping address, no buyer or tax details, no raw payload (which may
    /// hold them), and no <see cref="PersonalDataWithheld"/> (which only answers a read that asked for personal data).
    /// </summary>
    /// <returns>The copy.</returns>
    public Order WithoutPersonalData() => this with
    {
        Shipping = Shipping is null ? null : Shipping with { Address = null },
        ProviderDetails = ProviderDetails?.WithoutPersonalData(),
        RawPayload = null,
        PersonalDataWithheld = null,
    };

    /// <summary>Returns the order's source, id, status and line count; never personal data.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Order {{ Source = {Source}, OrderId = {OrderId}, Status = {Status.Value} ({Status.Raw}), Lines = {Lines.Count}{(Completeness == OrderCompleteness.Partial ? ", Partial" : string.Empty)} }}");
}
