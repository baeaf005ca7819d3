using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Reports;

/// <summary>
/// The source's order reports against the emulator's own Reports API, on one fake clock: a window requested, prepared,
/// found again, and read into partial orders that are exactly the emulator's orders placed in that window.
/// </summary>
public sealed class ReportsAgainstEmulatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static SellingPartnerOrderSource Source(EmulatorHost emulator, TimeProvider clock)
    {
        var options = EmulatorClient.Options(emulator, SellingPartnerOrdersApi.V20260101);
        options.MarketplaceIds = [.. emulator.SellingPartner.MarketplaceIdsOf(0)];
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(clock), new RateLimiterRegistry(clock));
    }

    private static async Task<OrderBackfillJob> PreparedAsync(IOrderBackfillSource source, FakeTimeProvider clock, OrderBackfillWindow window, TimeSpan delay)
    {
        var job = await source.RequestAsync(window);
        job.State.ShouldBeOneOf(OrderBackfillJobState.Queued, OrderBackfillJobState.InProgress);
        clock.Advance(delay + TimeSpan.FromSeconds(1));
        return await source.GetAsync(job);
    }

    [Fact]
    public async Task AWindowsReport_HoldsEveryOrderPlacedInIt_OnceAndPartial_AndIsFoundAgainInsteadOfRequested()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 120 });
        using var source = Source(emulator, clock);
        var window = new OrderBackfillWindow(Now.AddDays(-30), Now.AddDays(-1));

        var done = await PreparedAsync(source, clock, window, emulator.SellingPartner.Options.SpReports.ProcessingDelay);
        var orders = new List<Order>();
        await foreach (var order in source.ReadAsync(done))
        {
            orders.Add(order);
        }

        done.State.ShouldBe(OrderBackfillJobState.Done);
        var expected = emulator.SellingPartner.OrderIds
            .Where(id => DateTimeOffset.Parse(emulator.SellingPartner.GetOrderPayload(id)!["PurchaseDate"]!.GetValue<string>(), CultureInfo.InvariantCulture) is var placed
                && placed >= window.Start && placed < window.End)
            .Order(StringComparer.Ordinal)
            .ToList();
        expected.Count.ShouldBeGreaterThan(10, "the window holds a fair share of the seeded orders, so the test can fail");
        orders.Select(o => o.OrderId).Order(StringComparer.Ordinal).ShouldBe(expected);
        orders.ShouldAllBe(o => o.Completeness == OrderCompleteness.Partial && o.Lines.Count > 0 && o.RawPayload != null);
        var full = await source.GetOrderAsync(orders[0].OrderId);
        orders[0].Status.Value.ShouldBe(full.Status.Value);
        orders[0].CreatedAt.ShouldBe(full.CreatedAt);

        var found = await source.FindFinishedAsync(window);
        found.ShouldNotBeNull().JobId.ShouldBe(done.JobId);
        emulator.SellingPartner.ReportDocumentDownloadsWithAccessToken.ShouldBe(0);
    }

    [Fact]
    public async Task AWindowBeforeTheSellersFirstOrder_IsEmpty()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 20 });
        using var source = Source(emulator, clock);
        var before = Now - emulator.SellingPartner.Options.SpOrderHistory - TimeSpan.FromDays(40);

        var job = await PreparedAsync(source, clock, new OrderBackfillWindow(before, before.AddDays(30)), emulator.SellingPartner.Options.SpReports.ProcessingDelay);

        job.State.ShouldBe(OrderBackfillJobState.Empty);
        job.RawState.ShouldBe("CANCELLED");
    }
}
