using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrderHub.Api;

/// <summary>How <see cref="OrderApiOptions"/> are read from configuration, and the rules they must keep.</summary>
internal static class OrderApiOptionsRules
{
    public const string NoKeys = "The lookup API needs at least one API key (ApiKeys, OrderHub:Api:ApiKeys; ORDERHUB_API_KEYS for orderhub serve), or authentication turned off explicitly (AuthenticationDisabled; --no-auth).";

    public const string UnusableCache = "StoreCacheDuration must be zero (no cache) or positive, with a positive StoreCacheSizeLimit in bytes (--store-cache-ms for orderhub serve).";

    public static string? KeysProblem(OrderApiOptions options) => !options.AuthenticationDisabled && options.ApiKeys.Count == 0 ? NoKeys : null;

    public static string? CacheProblem(OrderApiOptions options) =>
        options.StoreCacheDuration < TimeSpan.Zero || (options.StoreCacheDuration > TimeSpan.Zero && options.StoreCacheSizeLimit <= 0) ? UnusableCache : null;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the settings when a rule is broken.</summary>
    public static void ThrowIfInvalid(OrderApiOptions options)
    {
        if (string.Join(" ", new[] { KeysProblem(options), CacheProblem(options) }.OfType<string>()) is { Length: > 0 } problems)
        {
            throw new ArgumentException(problems, "configure");
        }
    }

    /// <summary>Binds the <c>OrderHub:Api</c> section, if the application has configuration; a value of the wrong type is said as a validation failure naming the setting.</summary>
    public static void Bind(IConfiguration? configuration, OrderApiOptions options)
    {
        try
        {
            configuration?.GetSection(OrderApiOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OrderApiOptions), [$"{OrderApiOptions.SectionName}: {e.Message} {e.InnerException?.Message}".Trim()]);
        }
    }
}
