namespace OrderHub;

/// <summary>How an order is paid for.</summary>
public sealed record OrderPayment
{
    /// <summary>Gets how much is paid up front (Outposts <c>PaymentOption</c>).</summary>
    public ProviderValue<PaymentOption>? Option { get; init; }

    /// <summary>Gets the term the order is paid over (Outposts <c>PaymentTerm</c>).</summary>
    public ProviderValue<PaymentTerm>? Term { get; init; }

    /// <summary>Gets the buyer's payment method (Selling Partner <c>PaymentMethod</c>).</summary>
    public ProviderValue<PaymentMethod>? Method { get; init; }

    /// <summary>Gets the provider's finer payment method names (Selling Partner <c>PaymentMethodDetails</c>).</summary>
    public IReadOnlyList<string> MethodDetails { get; init; } = [];
}
