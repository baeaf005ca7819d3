using System.Net;
using OrderHub.SellingPartner.Auth;

namespace OrderHub.SellingPartner.PersonalData;

/// <summary>
/// How a read that asks for personal data gets it, and what it says when it does not: Orders v0 needs a restricted
/// data token, which the Tokens API refuses to an application without a restricted role (the read then goes on
/// without personal data and says why, in the provider's words); 2026-01-01 asks for the BUYER and RECIPIENT datasets
/// and gets them, or not, by the application's roles. Either way an order whose status does not release the address
/// yet says so, and one that came without it for no stated reason says that.
/// </summary>
internal sealed class PersonalDataReads(RestrictedDataTokens restrictedDataTokens, IAccessTokenSource lwa, bool isV0)
{
    /// <summary>The data elements a restricted data token is asked for (every restricted element an order has).</summary>
    private static readonly string[] DataElements = ["buyerInfo", "shippingAddress", "buyerTaxInformation"];

    /// <summary>
    /// The token to read with. With personal data on v0: a restricted data token for the path, or, when the Tokens API
    /// refuses it (HTTP 403), the normal access token and the refusal. Every other failure is thrown as before.
    /// </summary>
    public async Task<(IAccessTokenSource Tokens, PersonalDataWithheld? Refused)> TokensAsync(bool includePersonalData, string pathTemplate, CancellationToken cancellationToken)
    {
        if (!includePersonalData || !isV0)
        {
            return (lwa, null);
        }

        var restricted = restrictedDataTokens.For("GET", pathTemplate, DataElements);
        try
        {
            // Fetched here, so that a refusal is told apart from the read's own errors; the read takes it from the cache.
            await restricted.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return (restricted, null);
        }
        catch (OrderSourceAuthenticationException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            // The message holds the Tokens API's own code and text, never the token.
            return (lwa, new PersonalDataWithheld(
                PersonalDataWithheldReason.NotAuthorized,
                $"{e.Message} Personal data needs a restricted role for the application (such as Direct-to-Consumer Shipping), granted in Seller Central's developer profile."));
        }
    }

    /// <summary>Says why personal data is missing from an order read with it asked for; an order that has it is returned as it is.</summary>
    public static Order Explain(Order order, PersonalDataWithheld? refused)
    {
        if (refused is not null)
        {
            return order with { PersonalDataWithheld = refused };
        }

        if (order.Shipping?.Address is not null)
        {
            return order;
        }

        return order with
        {
            PersonalDataWithheld = ReleasesAddress(order.Status.Value)
                ? new PersonalDataWithheld(
                    PersonalDataWithheldReason.NotReturned,
                    "The Selling Partner API answered without the shipping address or buyer: the application may lack the restricted role that grants them.")
                : new PersonalDataWithheld(
                    PersonalDataWithheldReason.NotReleasedForStatus,
                    $"Amazon gives the shipping address and buyer only once an order is paid for (Unshipped, PartiallyShipped, Shipped or InvoiceUnconfirmed); this order is {order.Status.Raw}."),
        };
    }

    // The unified statuses of Unshipped, PartiallyShipped, Shipped and InvoiceUnconfirmed (and what follows them).
    private static bool ReleasesAddress(OrderStatus status) =>
        status is OrderStatus.InProgress or OrderStatus.PartiallyShipped or OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Completed;
}
