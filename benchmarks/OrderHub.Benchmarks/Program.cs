using System.Globalization;
using BenchmarkDotNet.Running;
using OrderHub.Benchmarks.Events;
using OrderHub.Benchmarks.Query;
using OrderHub.Benchmarks.Sync;

// Whole-run measurements: "sync-throttle [v0|2026-01-01]", "sync-throttle-shared <processes> <machine|redis|process>"
// "sync-postgresql-unthrottled <orders>", "sync-postgresql-workers", "sync-postgresql-failover [orders]", "sync-unthrottled <orders>" and
// "sync-decompose <orders>", "sync-incremental <orders>", "lookup-vs-kestrel [rounds]" (needs wrk), "store-size [orders]",
// "query-million [orders]" (needs wrk), "webhook-latency", "report-reader [MiB]",
// "notification-freshness [minutes] [seconds between changes]", "backfill-vs-search [orders] [report delay seconds]";
// anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "sync-throttle":
        await SyncMeasurements.ThrottleEfficiencyAsync(args.Length > 1 ? args[1] : OrderHub.SellingPartner.SellingPartnerOrdersApi.V0);
        break;
    case "sync-throttle-shared":
        await SharedQuotaMeasurements.SeveralProcessesAsync(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2,
            args.Length > 2 ? args[2] : "machine");
        break;
    case "sync-postgresql-unthrottled":
        await PostgreSqlMeasurements.UnthrottledAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
        break;
    case "sync-postgresql-workers":
        await SharedQuotaMeasurements.PostgreSqlWorkersAsync();
        break;
    case "sync-postgresql-failover":
        await SharedQuotaMeasurements.PostgreSqlFailoverAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300);
        break;
    case "sync-unthrottled":
        await SyncMeasurements.UnthrottledAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        break;
    case "sync-decompose":
        await SyncDecomposition.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
        break;
    case "sync-incremental":
        await IncrementalMeasurements.CompareAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000);
        break;
    case "lookup-vs-kestrel":
        await LookupMeasurements.CompareWithBareKestrelAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2);
        break;
    case "store-size":
        await StoreSizeMeasurements.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000);
        break;
    case "query-million":
        await QueryMeasurements.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "report-reader":
        await OrderHub.Benchmarks.SellingPartner.ReportReaderMeasurements.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024);
        break;
    case "report-reader-pass":
        await OrderHub.Benchmarks.SellingPartner.ReportReaderMeasurements.PassAsync(args[1], args[2]);
        break;
    case "notification-freshness":
        await NotificationFreshnessMeasurements.RunAsync(
            TimeSpan.FromMinutes(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 15),
            TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5));
        break;
    case "backfill-vs-search":
        await BackfillMeasurements.RunAsync(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
            TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 30));
        break;
    case "webhook-latency":
        await WebhookLatencyMeasurements.RunAsync();
        break;
    case "bare-kestrel-server":
        await LookupMeasurements.ServeBareAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(SyncMeasurements).Assembly).Run(args);
        break;
}
