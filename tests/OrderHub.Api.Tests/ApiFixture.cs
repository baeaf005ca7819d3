using Amazon.Runtime;
using OrderHub.Api;
using OrderHub.Api.Hosting;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts;
using OrderHub.SellingPartner;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using Microsoft.Extensions.Logging;

namespace OrderHub.Api.Tests;

/// <summary>The API over real sockets: the emulator upstream, both sources, a SQLite store in a temporary folder.</summary>
internal sealed class ApiFixture : IAsyncDisposable
{
    public const string ReaderKey = "reader-key-0123456789";
    public const string AdminKey = "admin-key-9876543210";
    public const string RefresherKey = "refresher-key-5555555555";

    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-api-").FullName;
    private OutpostsOrderSource _outposts = null!;
    private SqliteOrderStore _store = null!;

    public EmulatorHost Emulator { get; private set; } = null!;

    public OrderApiHost Api { get; private set; } = null!;

    /// <summary>Gets the SQLite store the API reads first, stores into and queries (unless the test wrapped it).</summary>
    public SqliteOrderStore Store => _store;

    /// <summary>Gets the SQLite file the API stores into.</summary>
    public string DatabasePath => Path.Combine(_folder, "api.db");

    public HttpClient Client { get; } = new();

    public static async Task<ApiFixture> StartAsync(
        EmulatorOptions? emulator = null,
        Action<OrderApiOptions>? configure = null,
        int spBurst = 30,
        string? outpostsSecret = null,
        TimeSpan? spAttemptTimeout = null,
        double spRate = 0.5,
        Func<IOrderStore, IOrderStore>? wrapStore = null,
        ILoggerProvider? logs = null,
        string spSourceName = "sp-api",
        TimeProvider? timeProvider = null)
    {
        var fixture = new ApiFixture();
        fixture.Emulator = await EmulatorHost.StartAsync(emulator ?? new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 20 });
        var sp = new SellingPartnerOrderSource(
            new SellingPartnerOrderSourceOptions
            {
                SourceName = spSourceName,
                Endpoint = fixture.Emulator.BaseAddress,
                LwaEndpoint = fixture.Emulator.LwaEndpoint,
                ClientId = fixture.Emulator.SellingPartner.Options.ClientId,
                ClientSecret = fixture.Emulator.SellingPartner.Options.ClientSecret,
                RefreshToken = fixture.Emulator.SellingPartner.Options.RefreshTokens[0],
                GetOrderBurst = spBurst,
                GetOrderPermitsPerSecond = spRate,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                MaxRetryAttempts = 2,
                AttemptTimeout = spAttemptTimeout ?? TimeSpan.FromSeconds(30),
            },

            // Buckets of this test's own: the machine-wide file outlives test runs, and a reused emulator port would
            // meet a bucket an earlier emulator left there.
            rateLimits: new OrderHub.RateLimits.InProcessQuotaStore());
        fixture._outposts = new OutpostsOrderSource(
            new OutpostsOrderSourceOptions
            {
                Region = "us-west-2",
                Endpoint = fixture.Emulator.BaseAddress,
                Credentials = new BasicAWSCredentials(fixture.Emulator.Outposts.Options.AwsAccessKeyId, outpostsSecret ?? fixture.Emulator.Outposts.Options.AwsSecretAccessKey),
            });
        fixture._store = await SqliteOrderStore.OpenAsync(Path.Combine(fixture._folder, "api.db"));
        var store = wrapStore is null ? fixture._store : wrapStore(fixture._store);
        fixture.Api = await OrderApiHost.StartAsync(
            options =>
            {
                options.Urls = "http://127.0.0.1:0";
                options.ApiKeys.Add(new ApiKey(ReaderKey, false));
                options.ApiKeys.Add(new ApiKey(AdminKey, true));
                options.ApiKeys.Add(new ApiKey(RefresherKey, false) { AllowRefresh = true });
                configure?.Invoke(options);
            },
            new OrderLookup([sp, fixture._outposts]),
            store,
            timeProvider,
            configureLogging: logging =>
            {
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                    logging.SetMinimumLevel(LogLevel.Trace);
                }
            });
        return fixture;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key = ReaderKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.BaseAddress, path));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await _store.DisposeAsync();
        _outposts.Dispose();
        await Emulator.DisposeAsync();
        Client.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
