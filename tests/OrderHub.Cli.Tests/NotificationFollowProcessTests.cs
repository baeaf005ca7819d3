using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// <c>orderhub notifications setup</c> and <c>orderhub sync --follow --notifications</c> as separate OS processes against
/// the emulator's Notifications API and SQS: the consumer killed (SIGKILL) after storing and before the queue let it
/// delete, then run again, reads the redelivered notices as already stored and reads no order twice.
/// </summary>
public sealed class NotificationFollowProcessTests : IAsyncLifetime
{
    // The emulator's clock starts ahead of the real one, which the CLI reads: a search's window ends two minutes before
    // the CLI's now, and the emulator must see that end as settled.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-notices-").FullName;
    private readonly FakeTimeProvider _clock = new(Start);
    private EmulatorHost _emulator = null!;
    private AmazonSQSClient _sqs = null!;

    public async Task InitializeAsync()
    {
        // The emulator's clock stands still unless moved: its changes are made by the test, and a message comes back
        // from its visibility timeout when the test moves the clock past it.
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpOrderCount = 20,
            SpGetOrderBurst = 1000,
            SpSearchOrdersBurst = 100,
            SpNotifications = { DuplicateRate = 0.5 },
            TimeProvider = _clock,
        });
        _sqs = new AmazonSQSClient(
            new BasicAWSCredentials(_emulator.Outposts.Options.AwsAccessKeyId, _emulator.Outposts.Options.AwsSecretAccessKey),
            new AmazonSQSConfig { ServiceURL = _emulator.BaseAddress.ToString(), AuthenticationRegion = _emulator.Outposts.Options.AwsRegion });
    }

    public async Task DisposeAsync()
    {
        _sqs.Dispose();
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Since => (Start - _emulator.SellingPartner.Options.SpOrderHistory - TimeSpan.FromDays(1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A rate-limit file of its own: the other tests' processes read the same seller at other plans.
    private Dictionary<string, string> Environment => new() { ["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "rate-limits.db") };

    private async Task<(string Url, string Arn)> QueueAsync()
    {
        var url = (await _sqs.CreateQueueAsync("sp-order-changes")).QueueUrl;
        return (url, (await _sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN);
    }

    [Fact]
    public async Task Setup_PrintsThePolicyFirst_ThenCreatesTheSubscription_OnceThePolicyIsSet()
    {
        var (url, arn) = await QueueAsync();

        var refused = await CliProcess.RunAsync(_emulator, Environment, "notifications", "setup", "--source", "sp-api", "--queue-arn", arn);
        await _sqs.SetQueueAttributesAsync(url, new Dictionary<string, string> { ["Policy"] = SellingPartner.Notifications.SellingPartnerNotifications.QueuePolicy(arn) });
        var setup = await CliProcess.RunAsync(_emulator, Environment, "notifications", "setup", "--source", "sp-api", "--queue-arn", arn);
        var list = await CliProcess.RunAsync(_emulator, Environment, "notifications", "list", "--source", "sp-api");

        refused.ExitCode.ShouldBe(2, refused.Out + refused.Error);
        refused.Error.ShouldContain("437568002678");
        setup.ExitCode.ShouldBe(0, setup.Error);
        setup.Out.ShouldContain("437568002678");
        setup.Out.ShouldContain("sqs:SendMessage");
        list.ExitCode.ShouldBe(0, list.Error);
        list.Out.ShouldContain(arn);
    }

    [Fact]
    public async Task KilledAfterStoringBeforeTheDelete_ThenRunAgain_StoresNothingTwice_AndReadsNoOrderTwice()
    {
        var (url, arn) = await QueueAsync();
        await _sqs.SetQueueAttributesAsync(url, new Dictionary<string, string> { ["Policy"] = SellingPartner.Notifications.SellingPartnerNotifications.QueuePolicy(arn) });
        (await CliProcess.RunAsync(_emulator, Environment, "notifications", "setup", "--source", "sp-api", "--queue-arn", arn)).ExitCode.ShouldBe(0);
        var db = Path.Combine(_folder, "orders.db");
        string[] follow = ["sync", "--source", "sp-api", "--since", Since, "--follow", "--notifications", url, "--backup-interval", "1h", "--db", db];

        // Ten changes (five steps: an order moved on and one arrived), their notices delivered at once, some twice;
        // the queue refuses every delete, so each stored notice stays in flight.
        _emulator.Sqs.DeletesRefused = true;
        using (var process = Process.Start(CliProcess.StartInfo(_emulator, Environment, follow))!)
        {
            await Eventually.TrueAsync(async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") >= 20, "the first poll stored the orders", TimeSpan.FromSeconds(60), process);
            _emulator.SellingPartner.ApplyChangesUntil(Start, TimeSpan.FromSeconds(1), Start.AddSeconds(5));
            await Eventually.TrueAsync(async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM order_notifications") == 10, "the ten notices are stored", TimeSpan.FromSeconds(60), process);

            process.Kill(); // SIGKILL: the deletes never happened
            await process.WaitForExitAsync();
        }

        var readsAtKill = _emulator.SellingPartner.GetOrderRequests;
        var entriesAtKill = await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM order_changes");
        _emulator.Sqs.MessageCount("sp-order-changes").ShouldBeGreaterThanOrEqualTo(10, "nothing was deleted");

        // Run again; the in-flight messages come back once their visibility timeout (5 minutes) has passed.
        _emulator.Sqs.DeletesRefused = false;
        _clock.Advance(TimeSpan.FromMinutes(6));
        using (var process = Process.Start(CliProcess.StartInfo(_emulator, Environment, follow))!)
        {
            await Eventually.TrueAsync(() => _emulator.Sqs.MessageCount("sp-order-changes") == 0, "the redelivered notices were recognised and deleted", TimeSpan.FromSeconds(60), process);
            process.Kill();
            await process.WaitForExitAsync();
        }

        _emulator.SellingPartner.GetOrderRequests.ShouldBe(readsAtKill, "a redelivered notice already stored spends no read");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM order_changes")).ShouldBe(entriesAtKill, "nothing was stored twice");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM order_notifications")).ShouldBe(10);
    }
}
