using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>A source under test, with ids it holds and does not hold, and a count of the requests it has sent upstream.</summary>
public sealed record OrderSourceUnderTest(
    IOrderSource Source,
    string ExistingOrderId,
    string MissingOrderId,
    Func<int> UpstreamRequestCount,
    Func<ValueTask>? DisposeAsync = null);

/// <summary>
/// What every <see cref="IOrderSource"/> must do. Each source's test class inherits this and supplies the source,
/// wired to a real server (or the emulator) over loopback.
/// </summary>
public abstract class OrderSourceContractTests : IAsyncLifetime
{
    private OrderSourceUnderTest? _subject;

    protected OrderSourceUnderTest Subject => _subject ?? throw new InvalidOperationException("The source was not created.");

    /// <summary>Ids in no source's format at all, and ids in this source's format's near misses.</summary>
    protected virtual IEnumerable<string> InvalidOrderIds =>
    [
        string.Empty,
        " ",
        "not-an-order-id",
        "123",
        "902-3159896-1390916x",
        " 902-3159896-1390916",
        "oo-0123456789abcdef",
        "oo-0123456789ABCDEF0",
        "OO-0123456789abcdef0",
        "../../orders",
        "902-3159896-1390916/../x",
    ];

    public async Task InitializeAsync() => _subject = await CreateSourceAsync();

    public async Task DisposeAsync()
    {
        if (_subject?.DisposeAsync is { } dispose)
        {
            await dispose();
        }
    }

    protected abstract Task<OrderSourceUnderTest> CreateSourceAsync();

    [Fact]
    public void Contract_Name_IsNotEmptyAndFormatRecognizesItsExample()
    {
        Subject.Source.Name.ShouldNotBeNullOrWhiteSpace();
        Subject.Source.OrderIdFormat.IsMatch(Subject.Source.OrderIdFormat.Example).ShouldBeTrue();
        Subject.Source.OrderIdFormat.IsMatch(Subject.ExistingOrderId).ShouldBeTrue();
        Subject.Source.OrderIdFormat.IsMatch(Subject.MissingOrderId).ShouldBeTrue();
    }

    [Fact]
    public async Task Contract_GetOrder_ExistingId_ReturnsThatOrderFromThisSource()
    {
        var order = await Subject.Source.GetOrderAsync(Subject.ExistingOrderId);

        order.OrderId.ShouldBe(Subject.ExistingOrderId);
        order.Source.ShouldBe(Subject.Source.Name);
        order.RawPayload.ShouldNotBeNull();
        Subject.UpstreamRequestCount().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Contract_GetOrder_Timestamps_AreUtc()
    {
        var order = await Subject.Source.GetOrderAsync(Subject.ExistingOrderId);
        var stamps = new[] { order.CreatedAt, order.LastUpdatedAt, order.FulfilledAt }.OfType<DateTimeOffset>().ToArray();

        order.CreatedAt.ShouldNotBeNull("every provider knows when an order was created");
        stamps.ShouldAllBe(stamp => stamp.Offset == TimeSpan.Zero);
    }

    [Fact]
    public async Task Contract_GetOrder_MissingId_ThrowsNotFoundNamingSourceAndOrder()
    {
        var error = await Should.ThrowAsync<OrderNotFoundException>(() => Subject.Source.GetOrderAsync(Subject.MissingOrderId));

        error.SourceName.ShouldBe(Subject.Source.Name);
        error.OrderId.ShouldBe(Subject.MissingOrderId);
    }

    [Fact]
    public async Task Contract_GetOrder_InvalidIds_AreRejectedBeforeAnyRequestNamingTheFormat()
    {
        var before = Subject.UpstreamRequestCount();
        foreach (var id in InvalidOrderIds.Where(id => !Subject.Source.OrderIdFormat.IsMatch(id)))
        {
            var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => Subject.Source.GetOrderAsync(id));
            error.Message.ShouldContain(Subject.Source.OrderIdFormat.Description);
            error.SourceName.ShouldBe(Subject.Source.Name);
        }

        await Should.ThrowAsync<InvalidOrderRequestException>(() => Subject.Source.GetOrderAsync(null!));
        Subject.UpstreamRequestCount().ShouldBe(before);
    }

    [Fact]
    public async Task Contract_GetOrder_CancelledToken_ThrowsWithoutARequest()
    {
        var before = Subject.UpstreamRequestCount();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Subject.Source.GetOrderAsync(Subject.ExistingOrderId, cancelled.Token));

        Subject.UpstreamRequestCount().ShouldBe(before);
    }

    [Fact]
    public async Task Contract_OrderToString_NamesTheOrderButNoPayload()
    {
        var order = await Subject.Source.GetOrderAsync(Subject.ExistingOrderId);

        var text = order.ToString();
        text.ShouldContain(Subject.ExistingOrderId);
        text.ShouldNotContain("{\"");
    }
}
