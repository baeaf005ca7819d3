using OrderHub.Testing;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>Keys, personal data, errors, the wait budget and the OpenAPI document: what the API promises.</summary>
public sealed class OrderApiSafetyTests
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static void ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("api_key")]
    [InlineData("X-Api-Key")]
    [InlineData("something")]
    public async Task KeyInTheQueryString_Is401SayingToUseTheHeader_AndNeverLogged(string parameter)
    {
        using var logs = new CapturingLoggerProvider();
        await using var fixture = await ApiFixture.StartAsync(logs: logs);
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        var withoutHeader = await fixture.GetAsync($"orders/{id}?{parameter}={ApiFixture.ReaderKey}", key: null);
        var withHeaderToo = await fixture.GetAsync($"orders/{id}?{parameter}={ApiFixture.AdminKey}", key: ApiFixture.ReaderKey);

        foreach (var response in new[] { withoutHeader, withHeaderToo })
        {
            ShouldBeProblem(response, HttpStatusCode.Unauthorized);
            (await JsonOf(response)).GetProperty("detail").GetString()!.ShouldContain("X-Api-Key header");
        }

        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
        logs.Lines.ShouldNotBeEmpty("requests are logged");
        logs.Lines.ShouldAllBe(line => !line.Contains(ApiFixture.ReaderKey) && !line.Contains(ApiFixture.AdminKey));
        logs.Lines.ShouldContain(line => line.Contains("/orders/{orderId}") && line.Contains("401"));
        logs.Lines.Where(line => line.Contains("HTTP GET ")).ShouldAllBe(line => !line.Contains(id), "order ids are customer data: the request log names the route");
    }

    [Fact]
    public async Task RequestLog_SuccessesAtDebug_ErrorsAtInformation()
    {
        using var logs = new CapturingLoggerProvider();
        await using var fixture = await ApiFixture.StartAsync(logs: logs);
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.GetAsync($"orders/{id}", key: null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The line is written after the answer is sent: wait for both.
        string LineFor(int status) => logs.Lines.FirstOrDefault(line => line.Contains($"HTTP GET /orders/{{orderId}} answered {status}")) ?? string.Empty;
        await Eventually.TrueAsync(() => LineFor(200).Length > 0 && LineFor(401).Length > 0, "both requests are logged, by route");
        logs.Lines.Where(line => line.Contains("HTTP GET ")).ShouldAllBe(line => !line.Contains(id), "order ids are customer data: the request log names the route");
        LineFor(200).ShouldStartWith("Debug ");
        LineFor(401).ShouldStartWith("Information ");
    }

    [Fact]
    public async Task UnknownRoute_IsAProblemToo()
    {
        await using var fixture = await ApiFixture.StartAsync();

        ShouldBeProblem(await fixture.GetAsync("no/such/route"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InvalidQueryValues_AreProblems_AndTheKeyIsCheckedFirst()
    {
        await using var fixture = await ApiFixture.StartAsync();
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        ShouldBeProblem(await fixture.GetAsync($"orders/{id}?refresh=maybe", key: null), HttpStatusCode.Unauthorized);
        var badRefresh = await fixture.GetAsync($"orders/{id}?refresh=maybe");
        var badInclude = await fixture.GetAsync($"orders/{id}?include=everything");

        ShouldBeProblem(badRefresh, HttpStatusCode.BadRequest);
        (await JsonOf(badRefresh)).GetProperty("detail").GetString()!.ShouldContain("'refresh' must be true or false");
        ShouldBeProblem(badInclude, HttpStatusCode.BadRequest);
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Theory]
    [InlineData("orders/%D9%A9%D9%A0%D9%A2-%D9%A3%D9%A1%D9%A5%D9%A9%D9%A8%D9%A9%D9%A6-%D9%A1%D9%A3%D9%A9%D9%A0%D9%A9%D9%A1%D9%A6")]
    [InlineData("orders/sp-api/%EF%BC%99%EF%BC%90%EF%BC%92-3159896-1390916")]
    public async Task IdWithNonAsciiDigits_Is400Problem_AndNothingIsSent(string path)
    {
        await using var fixture = await ApiFixture.StartAsync();

        var response = await fixture.GetAsync(path);

        ShouldBeProblem(response, HttpStatusCode.BadRequest);
        (await JsonOf(response)).GetProperty("detail").GetString()!.ShouldContain("3-7-7 digits");
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Refresh_IsAPermissionOfTheKey_OthersGet403NamingIt_AndNoUpstreamRead()
    {
        await using var fixture = await ApiFixture.StartAsync();
        var id = fixture.Emulator.SellingPartner.OrderIds[3];
        (await fixture.GetAsync($"orders/{id}", ApiFixture.ReaderKey)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reader = await fixture.GetAsync($"orders/{id}?refresh=true", ApiFixture.ReaderKey);
        var admin = await fixture.GetAsync($"orders/{id}?refresh=true", ApiFixture.AdminKey);

        ShouldBeProblem(reader, HttpStatusCode.Forbidden);
        var problem = await JsonOf(reader);
        problem.GetProperty("permission").GetString().ShouldBe("refresh");
        problem.GetProperty("detail").GetString()!.ShouldContain("AllowRefresh");
        ShouldBeProblem(admin, HttpStatusCode.Forbidden);
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1, "a refused refresh spends no quota");

        (await fixture.GetAsync($"orders/{id}?refresh=true", ApiFixture.RefresherKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task PersonalDataKey_GetsTheAddressEveryTime_AndNothingPersonalIsWrittenToTheDatabase()
    {
        await using var fixture = await ApiFixture.StartAsync();
        var id = fixture.Emulator.SellingPartner.OrderIds[3]; // Shipped: its status releases personal data

        var admin = await JsonOf(await fixture.GetAsync($"orders/{id}?include=raw", ApiFixture.AdminKey));
        (await fixture.GetAsync($"orders/{id}", ApiFixture.ReaderKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.GetAsync($"orders/{id}?refresh=true", ApiFixture.RefresherKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var adminAfterTheStoreHoldsACopy = await JsonOf(await fixture.GetAsync($"orders/{id}", ApiFixture.AdminKey));

        var name = admin.GetProperty("shipping").GetProperty("address").GetProperty("name").GetString()!;
        var email = admin.GetProperty("providerDetails").GetProperty("buyer").GetProperty("email").GetString()!;
        var line1 = admin.GetProperty("shipping").GetProperty("address").GetProperty("addressLine1").GetString()!;
        adminAfterTheStoreHoldsACopy.GetProperty("shipping").GetProperty("address").GetProperty("name").GetString().ShouldBe(name);

        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT document FROM orders";
        var stored = new StringBuilder();
        var rows = 0;
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                rows++;
                stored.Append(Encoding.UTF8.GetString(StoredDocuments.Decompress((byte[])reader[0])));
            }
        }

        rows.ShouldBe(1, "the reader's read stored the order");
        stored.ToString().ShouldContain(id, customMessage: "the document was read: it holds the order");
        foreach (var personal in new[] { name, email, line1 })
        {
            stored.ToString().ShouldNotContain(personal);
        }
    }

    [Fact]
    public async Task StoreFailingMidRun_Is503Problem_AndHealthSaysSo_UntilItIsBack()
    {
        BreakableStore? breakable = null;
        await using var fixture = await ApiFixture.StartAsync(wrapStore: inner => breakable = new BreakableStore(inner));
        var id = fixture.Emulator.SellingPartner.OrderIds[0];
        (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        breakable!.Break();
        var failed = await fixture.GetAsync($"orders/{id}");
        var unhealthy = await fixture.Client.GetAsync(new Uri(fixture.Api.BaseAddress, "healthz"));
        breakable.Mend();
        var healthy = await fixture.Client.GetAsync(new Uri(fixture.Api.BaseAddress, "healthz"));

        ShouldBeProblem(failed, HttpStatusCode.ServiceUnavailable);
        (await failed.Content.ReadAsStringAsync()).ShouldNotContain("/srv/orderhub", Case.Sensitive, "server paths stay in the server's log");
        unhealthy.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await JsonOf(unhealthy)).GetProperty("store").GetString().ShouldBe("unavailable");
        healthy.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(healthy)).GetProperty("store").GetString().ShouldBe("ok");
    }

    [Fact]
    public async Task ManySimultaneousRequests_OnlyThoseWhosePermitComesWithinTheBudgetWait_TheOthersGet429AtOnce()
    {
        await using var fixture = await ApiFixture.StartAsync(
            new Emulator.Hosting.EmulatorOptions { SpGetOrderRate = 10, SpGetOrderBurst = 1, SpOrderCount = 60 },
            o => o.UpstreamWaitBudget = TimeSpan.FromSeconds(1),
            spBurst: 1,
            spRate: 10);
        var ids = fixture.Emulator.SellingPartner.OrderIds.Take(45).ToArray();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(ids.Select(id => fixture.GetAsync($"orders/{id}")));
        var took = started.Elapsed;

        var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        (served + refused.Length).ShouldBe(45);
        // The requests reach the server over some time on a busy machine, and each may wait 1 s from its own arrival:
        // what bounds the served ones is the burst and the rate over the time they all took, not a fixed count.
        served.ShouldBeGreaterThanOrEqualTo(2, "the burst of 1, then at least one more within the 1 s budget");
        served.ShouldBeLessThanOrEqualTo(2 + (int)(10 * took.TotalSeconds), "no more than the burst and 10 per second over the time the requests took");
        refused.ShouldNotBeEmpty("without the budget all 45 would be served, the last 4.4 s after the first");
        refused.ShouldAllBe(r => r.Headers.RetryAfter!.Delta!.Value > TimeSpan.Zero);
        (fixture.Emulator.SellingPartner.GetOrderRequests - fixture.Emulator.SellingPartner.Throttled).ShouldBe(served, "every upstream read answered is an order served");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheOrder_TheKey_AndEveryStatus()
    {
        await using var fixture = await ApiFixture.StartAsync();

        using var document = JsonDocument.Parse(await fixture.Client.GetStringAsync(new Uri(fixture.Api.BaseAddress, "openapi/v1.json")));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        scheme.GetProperty("type").GetString().ShouldBe("apiKey");
        scheme.GetProperty("in").GetString().ShouldBe("header");
        scheme.GetProperty("name").GetString().ShouldBe("X-Api-Key");
        var operation = root.GetProperty("paths").GetProperty("/orders/{orderId}").GetProperty("get");
        operation.GetProperty("security")[0].TryGetProperty("ApiKey", out _).ShouldBeTrue();
        var responses = operation.GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "403", "404", "429", "500", "502", "503", "504" })
        {
            responses.TryGetProperty(status, out _).ShouldBeTrue($"status {status} is described");
        }

        responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldEndWith("/Order");
        var order = root.GetProperty("components").GetProperty("schemas").GetProperty("Order").GetProperty("properties");
        order.TryGetProperty("orderId", out _).ShouldBeTrue();
        order.TryGetProperty("status", out _).ShouldBeTrue();
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var statusSchema = ResolveSchema(schemas, order.GetProperty("status"));
        statusSchema.GetProperty("properties").GetProperty("value").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("Shipped");
        statusSchema.GetProperty("properties").TryGetProperty("raw", out _).ShouldBeTrue();
    }

    private static JsonElement ResolveSchema(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
}

/// <summary>The API's endpoints in an application of the user's own, composed through the public registrations.</summary>
public sealed class OrderApiInYourOwnAppTests
{
    // A plain web application with one seller, a SQLite store and the API, as the README composes it.
    private static Microsoft.AspNetCore.Builder.WebApplicationBuilder AppBuilder(EmulatorHost emulator, string folder)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(builder.WebHost, "http://127.0.0.1:0");
        builder.Services.AddOrderHub().AddSellingPartner("shop", o =>
        {
            o.Endpoint = emulator.BaseAddress;
            o.LwaEndpoint = emulator.LwaEndpoint;
            o.ClientId = emulator.SellingPartner.Options.ClientId;
            o.ClientSecret = emulator.SellingPartner.Options.ClientSecret;
            o.RefreshToken = emulator.SellingPartner.Options.RefreshTokens[0];
        });
        builder.Services.AddSqliteOrderStore(Path.Combine(folder, "app.db"));
        builder.Services.AddOrderHubApi(o => o.ApiKeys.Add(new ApiKey("k", AllowPersonalData: false)));
        return builder;
    }

    [Fact]
    public async Task MapOrderApi_InAPlainWebApplication_ServesOrders()
    {
        await using var emulator = await Emulator.Hosting.EmulatorHost.StartAsync(new Emulator.Hosting.EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5 });
        var folder = Directory.CreateTempSubdirectory("orderhub-app-").FullName;
        try
        {
            var builder = AppBuilder(emulator, folder);
            await using var app = builder.Build();
            app.MapOrderApi();

            // The application's own endpoint keeps the host's JSON options: AddOrderHubApi changed none of them.
            Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/mine", () => new { Day = DayOfWeek.Monday });
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");

            var response = await http.GetAsync($"/orders/{emulator.SellingPartner.OrderIds[0]}");
            var mine = await http.GetStringAsync("/mine");

            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            (await JsonOf(response)).GetProperty("source").GetString().ShouldBe("shop");
            (await JsonOf(response)).GetProperty("status").GetProperty("value").ValueKind.ShouldBe(JsonValueKind.String, "OrderHub's own JSON writes enumerations by name");
            mine.ShouldBe("""{"day":1}""");
            await app.StopAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AddOrderHubApi_RegistersNoOpenApiDocument_OfItsOwn()
    {
        var services = new ServiceCollection().AddOrderHubApi(o => o.AuthenticationDisabled = true);

        services.ShouldNotContain(d => (d.ServiceType.Namespace ?? string.Empty).StartsWith("Microsoft.AspNetCore.OpenApi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddOrderHubOpenApi_DescribesOrderHubsTypesItsWay_AndLeavesTheHostsOwnTypesAsTheHostDescribesThem()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var folder = Directory.CreateTempSubdirectory("orderhub-openapi-").FullName;
        try
        {
            var builder = AppBuilder(emulator, folder);
            builder.Services.AddOrderHubOpenApi();
            await using var app = builder.Build();
            Microsoft.AspNetCore.Builder.OpenApiEndpointRouteBuilderExtensions.MapOpenApi(app);
            app.MapOrderApi();
            Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/mine", () => new Mine(DayOfWeek.Monday));
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));

            var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
            schemas.GetProperty("DayOfWeek").GetProperty("type").GetString().ShouldBe("integer", "the host writes its own enumerations as numbers, and its document says so");
            var statusValue = schemas.EnumerateObject().Single(s => s.Name.StartsWith("ProviderValueOf", StringComparison.Ordinal) && s.Name.Contains("OrderStatus", StringComparison.Ordinal)).Value;
            statusValue.GetProperty("properties").GetProperty("value").GetProperty("type").GetString().ShouldBe("string");
            document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _).ShouldBeTrue();
            await app.StopAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A type of the host's own, with an enumeration the host writes as a number.</summary>
    public sealed record Mine(DayOfWeek Day);

    [Fact]
    public async Task MapOrderApi_WithoutAddOrderHubApi_SaysWhatIsMissing()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();

        Should.Throw<InvalidOperationException>(() => app.MapOrderApi()).Message.ShouldContain("AddOrderHubApi");
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
