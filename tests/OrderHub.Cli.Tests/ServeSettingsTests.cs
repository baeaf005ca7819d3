using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api;
using OrderHub.Cli.Commands;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>serve</c>'s settings: the lookup API's own options (<c>OrderHub:Api</c>), the shortcuts into them, and the flags over both.</summary>
public sealed class ServeSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-serve-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ConfigFile(string json)
    {
        var path = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Serve_ReadsOrderHubApi_AndTheShortcutsOfTheConfigFile_WithoutAFlag()
    {
        var db = Path.Combine(_folder, "from-shortcut.db");
        var config = ConfigFile($$"""
            {
              "ORDERHUB_API_KEYS": "reader,admin:pii:refresh",
              "ORDERHUB_DB": "{{db.Replace("\\", "\\\\", StringComparison.Ordinal)}}",
              "OrderHub": { "Api": { "MaxStoreAge": "00:00:42", "Urls": "http://127.0.0.1:0" } }
            }
            """);

        await using var app = ServeCommand.Build(config, null, _ => { });
        var options = app.Services.GetRequiredService<OrderApiOptions>();

        options.ApiKeys.ShouldBe([new ApiKey("reader"), new ApiKey("admin", AllowPersonalData: true) { AllowRefresh = true }]);
        options.MaxStoreAge.ShouldBe(TimeSpan.FromSeconds(42));
        options.Urls.ShouldBe("http://127.0.0.1:0");
        app.Services.GetRequiredService<IOrderStore>().ShouldBeOfType<SqliteOrderStore>().Path.ShouldBe(db);
    }

    [Fact]
    public async Task Serve_AFlagGiven_WinsOverTheSetting_AndOneLeftOut_LeavesItAlone()
    {
        var config = ConfigFile("""{ "OrderHub": { "Api": { "MaxStoreAge": "00:00:42", "UpstreamWaitBudget": "00:00:03", "ApiKeys": [ { "Key": "k" } ] } } }""");
        var flags = new ServeCommand.ApiFlags();
        var command = new System.CommandLine.Command("serve");
        flags.AddTo(command);
        var parse = command.Parse(["--max-age-seconds", "7"]);

        await using var app = ServeCommand.Build(config, Path.Combine(_folder, "flags.db"), o => flags.ApplyTo(parse, o));
        var options = app.Services.GetRequiredService<OrderApiOptions>();

        options.MaxStoreAge.ShouldBe(TimeSpan.FromSeconds(7));
        options.UpstreamWaitBudget.ShouldBe(TimeSpan.FromSeconds(3));
        options.Urls.ShouldBe(new OrderApiOptions().Urls, "the options' own default, not a second one of the command's");
    }
}
