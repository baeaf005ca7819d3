using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderHub.Events;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Events.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        var directory = Directory.CreateTempSubdirectory("orderhub-webhook-options-").FullName;
        await using var store = await SqliteOrderStore.OpenAsync(Path.Combine(directory, "orders.db"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IOrderChangeLog>(store);
        builder.Services.AddOrderHubWebhooks();
        using var host = builder.Build();
        try
        {
            return await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task BadSettings_StopTheHostAtStart_WithAMessageNamingEachSetting_AndNeverTheSecret()
    {
        var e = await StartFailsAsync(new()
        {
            ["OrderHub:Webhooks:erp:Url"] = "http://erp.example.com/hooks",
            ["OrderHub:Webhooks:erp:Secret"] = "whsec_c2hvcnQ=",
            ["OrderHub:Webhooks:erp:Statuses:0"] = "Sent",
            ["OrderHub:Webhooks:erp:EventTypes:0"] = "order.created",
            ["OrderHub:Webhooks:wms:Url"] = "ftp://wms.example.com/",
            ["OrderHub:Webhooks:wms:Secret"] = Secret,
            ["OrderHub:Webhooks:wms:AttemptTimeout"] = "00:00:00",
        });

        e.Message.ShouldContain("OrderHub:Webhooks:erp:Url must use https");
        e.Message.ShouldContain("OrderHub:Webhooks:erp:Secret must be 'whsec_' followed by 24 to 64 random bytes in base64");
        e.Message.ShouldContain("OrderHub:Webhooks:erp:Statuses: 'Sent' is not a unified status; expected one of");
        e.Message.ShouldContain("OrderHub:Webhooks:erp:EventTypes: 'order.created' is not an event type");
        e.Message.ShouldContain("OrderHub:Webhooks:wms:Url must be an absolute https URL");
        e.Message.ShouldContain("OrderHub:Webhooks:wms:AttemptTimeout must be positive");
        e.Message.ShouldNotContain("c2hvcnQ");
        e.Message.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task AValueOfTheWrongType_IsAValidationFailureNamingTheSetting()
    {
        var e = await StartFailsAsync(new()
        {
            ["OrderHub:Webhooks:erp:Url"] = "https://erp.example.com/hooks",
            ["OrderHub:Webhooks:erp:Secret"] = Secret,
            ["OrderHub:Webhooks:erp:RetryHorizon"] = "a day",
        });

        e.Message.ShouldContain("OrderHub:Webhooks:erp");
        e.Message.ShouldContain("a day");
    }

    [Fact]
    public async Task AMissingSecret_IsNamed()
    {
        var e = await StartFailsAsync(new() { ["OrderHub:Webhooks:erp:Url"] = "https://erp.example.com/hooks" });

        e.Message.ShouldContain("OrderHub:Webhooks:erp:Secret is required");
    }

    [Fact]
    public void Configuration_BindsEverySetting_AndHttpOnLoopbackIsAccepted()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Webhooks:ERP:Url"] = "http://127.0.0.1:8080/hooks",
            ["OrderHub:Webhooks:ERP:Secret"] = Secret,
            ["OrderHub:Webhooks:ERP:Sources:0"] = "sp-api",
            ["OrderHub:Webhooks:ERP:Accounts:0"] = "ATVPDKIKX0DER",
            ["OrderHub:Webhooks:ERP:Statuses:0"] = "Shipped",
            ["OrderHub:Webhooks:ERP:EventTypes:0"] = "orderhub.order.updated",
            ["OrderHub:Webhooks:ERP:RetryHorizon"] = "02:00:00",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddOrderHubWebhooks().BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<WebhookOptions>>().Value;

        var erp = options.Subscriptions["erp"];
        erp.Url.ShouldBe(new Uri("http://127.0.0.1:8080/hooks"));
        erp.Sources.ShouldBe(["sp-api"]);
        erp.Accounts.ShouldBe(["ATVPDKIKX0DER"]);
        erp.Statuses.ShouldBe(["Shipped"]);
        erp.EventTypes.ShouldBe(["orderhub.order.updated"]);
        erp.RetryHorizon.ShouldBe(TimeSpan.FromHours(2));
        erp.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        WebhookOptions.ConsumerName("ERP").ShouldBe("webhook:erp");
        erp.ToString().ShouldNotContain(Secret["whsec_".Length..]);
    }
}
