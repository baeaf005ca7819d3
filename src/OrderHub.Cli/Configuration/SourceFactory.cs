using Amazon.Runtime;
using OrderHub.Outposts;
using OrderHub.SellingPartner;

namespace OrderHub.Cli.Configuration;

/// <summary>Builds the sources the settings configure; a source without settings is left out, with the reason kept.</summary>
internal sealed class SourceFactory(CliSettings settings) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public List<string> Unconfigured { get; } = [];

    public OrderLookup CreateLookup()
    {
        var sources = new List<IOrderSource>();
        if (CreateSellingPartner() is { } sp)
        {
            sources.Add(sp);
        }

        if (CreateOutposts() is { } outposts)
        {
            sources.Add(outposts);
        }

        return new OrderLookup(sources);
    }

    public SellingPartnerOrderSource? CreateSellingPartner()
    {
        var clientId = settings["ORDERHUB_LWA_CLIENT_ID"];
        var secret = settings["ORDERHUB_LWA_CLIENT_SECRET"];
        var refresh = settings["ORDERHUB_LWA_REFRESH_TOKEN"];
        if (clientId is null || secret is null || refresh is null)
        {
            Unconfigured.Add("sp-api: set ORDERHUB_LWA_CLIENT_ID, ORDERHUB_LWA_CLIENT_SECRET and ORDERHUB_LWA_REFRESH_TOKEN");
            return null;
        }

        var api = SellingPartnerOrdersApi.V0;
        if (settings["ORDERHUB_SP_ORDERS_API"] is { } configuredApi && !SellingPartnerOrdersApi.TryParse(configuredApi, out api))
        {
            throw new InvalidOrderRequestException(
                $"ORDERHUB_SP_ORDERS_API must be {string.Join(" or ", SellingPartnerOrdersApi.All)}; got '{configuredApi}'.");
        }

        var options = new SellingPartnerOrderSourceOptions
        {
            ClientId = clientId,
            ClientSecret = secret,
            RefreshToken = refresh,
            OrdersApiVersion = api,
            Region = settings["ORDERHUB_SP_REGION"]?.ToLowerInvariant() switch
            {
                null or "na" => SellingPartnerRegion.NorthAmerica,
                "eu" => SellingPartnerRegion.Europe,
                "fe" => SellingPartnerRegion.FarEast,
                var other => throw new InvalidOrderRequestException($"ORDERHUB_SP_REGION must be na, eu or fe; got '{other}'."),
            },
        };
        if (settings["ORDERHUB_SP_ENDPOINT"] is { } endpoint)
        {
            options.Endpoint = AbsoluteUri("ORDERHUB_SP_ENDPOINT", endpoint);
        }

        if (settings["ORDERHUB_LWA_ENDPOINT"] is { } lwa)
        {
            options.LwaEndpoint = AbsoluteUri("ORDERHUB_LWA_ENDPOINT", lwa);
        }

        return new SellingPartnerOrderSource(options);
    }

    public OutpostsOrderSource? CreateOutposts()
    {
        if (settings["AWS_REGION"] is null && settings["AWS_DEFAULT_REGION"] is null)
        {
            Unconfigured.Add("outposts: set AWS_REGION (and credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)");
            return null;
        }

        var options = new OutpostsOrderSourceOptions { Profile = settings["AWS_PROFILE"] };
        if (settings["AWS_ACCESS_KEY_ID"] is { } key && settings["AWS_SECRET_ACCESS_KEY"] is { } secret)
        {
            options.Credentials = settings["AWS_SESSION_TOKEN"] is { } token
                ? new SessionAWSCredentials(key, secret, token)
                : new BasicAWSCredentials(key, secret);
        }

        var source = new OutpostsOrderSource(options, environment: settings.Get);
        _owned.Add(source);
        return source;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private static Uri AbsoluteUri(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOrderRequestException($"{name} must be an absolute URL such as https://sellingpartnerapi-na.amazon.com; got '{value}'.");
}
