namespace OrderHub;

/// <summary>
/// Why an order read with personal data asked for (<see cref="OrderReadOptions.IncludePersonalData"/>) came back
/// without some or all of it. Present on <see cref="Order.PersonalDataWithheld"/> only then: an order read without
/// asking for personal data carries none, and says nothing about it.
/// </summary>
/// <param name="Reason">The reason, as a value a program can act on.</param>
/// <param name="Detail">The reason in words, for people: the provider's own error text when it refused, never a token or personal data.</param>
public sealed record PersonalDataWithheld(PersonalDataWithheldReason Reason, string Detail)
{
    /// <summary>Returns the reason and its words.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"PersonalDataWithheld {{ Reason = {Reason}, Detail = {Detail} }}";
}

/// <summary>Why personal data that was asked for is missing from an order.</summary>
public enum PersonalDataWithheldReason
{
    /// <summary>A reason this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>
    /// The provider refused it: the application lacks the role that grants personal data (for Selling Partner, a
    /// restricted role such as Direct-to-Consumer Shipping, which the Tokens API checks). The detail carries the
    /// provider's error text.
    /// </summary>
    NotAuthorized,

    /// <summary>The order's status does not release it (Selling Partner gives the shipping address only once an order is paid for: Unshipped, PartiallyShipped, Shipped, InvoiceUnconfirmed).</summary>
    NotReleasedForStatus,

    /// <summary>The provider answered without it and gave no reason (for Selling Partner 2026-01-01, an application without the role gets no buyer or recipient data).</summary>
    NotReturned,
}
