using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderHub.Tests.Sources;

/// <summary>A source over a dictionary, counting the reads that pass validation as "upstream requests".</summary>
internal sealed partial class InMemoryOrderSource(string name, OrderIdFormat format) : IOrderSource
{
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private int _requests;

    public string Name { get; } = name;

    public OrderIdFormat OrderIdFormat { get; } = format;

    public int Requests => Volatile.Read(ref _requests);

    public static OrderIdFormat ThreeSevenSeven { get; } = new("3-7-7 digits", "902-3159896-1390916", ThreeSevenSevenPattern());

    public static OrderIdFormat OutpostsStyle { get; } = new("'oo-' and 17 lowercase hex digits", "oo-0123456789abcdef0", OutpostsPattern());

    public InMemoryOrderSource Add(string orderId)
    {
        _orders[orderId] = new Order
        {
            Source = Name,
            OrderId = orderId,
            Status = new ProviderValue<OrderStatus>(OrderStatus.Pending, "Pending"),
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            RawPayload = OrderHub.RawPayload.FromElement(JsonDocument.Parse($$"""{"id":"{{orderId}}"}""").RootElement),
        };
        return this;
    }

    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
    {
        OrderIdFormat.Validate(orderId, Name);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _requests);
        return _orders.TryGetValue(orderId, out var order)
            ? Task.FromResult(order)
            : throw new OrderNotFoundException($"{Name} has no order {orderId}.", new OrderErrorContext(Name, orderId));
    }

    [GeneratedRegex("^[0-9]{3}-[0-9]{7}-[0-9]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex ThreeSevenSevenPattern();

    [GeneratedRegex("^oo-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex OutpostsPattern();
}
