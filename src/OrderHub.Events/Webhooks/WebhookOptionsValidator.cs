using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrderHub.Events;

/// <summary>The rules webhook subscriptions must keep, each failure naming the setting to fix.</summary>
internal sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (subscription, settings) in options.Subscriptions)
        {
            var at = $"{WebhookDefaults.SectionName}:{subscription}";
            if (!SubscriptionName().IsMatch(subscription))
            {
                failures.Add($"{at}: a subscription's name must be 1 to 64 letters, digits, '.', '_' or '-'.");
                continue;
            }

            if (settings is null)
            {
                failures.Add($"{at}: the subscription has no settings; give at least Url and Secret.");
                continue;
            }

            failures.AddRange(Check(at, settings));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> with every failure, for a caller without DI.</summary>
    public static void ThrowIfInvalid(WebhookOptions options)
    {
        var result = new WebhookOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WebhookOptions), result.Failures);
        }
    }

    private static IEnumerable<string> Check(string at, WebhookSubscriptionOptions settings)
    {
        if (settings.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{at}:Url must be an absolute https URL (the receiver's endpoint).";
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !settings.AllowUnencryptedHttp && !IsLoopback(url))
        {
            yield return $"{at}:Url must use https: order data would travel unencrypted to '{url.Host}'. Set {at}:AllowUnencryptedHttp to true to accept that.";
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            yield return $"{at}:Url must not carry a user name or password; the receiver checks the signature instead.";
        }

        if (SecretProblem(settings.Secret) is { } secret)
        {
            yield return $"{at}:Secret {secret}";
        }

        foreach (var type in settings.EventTypes)
        {
            if (type is not (OrderChangeEvents.CreatedType or OrderChangeEvents.UpdatedType))
            {
                yield return $"{at}:EventTypes: '{type}' is not an event type; expected {OrderChangeEvents.CreatedType} or {OrderChangeEvents.UpdatedType}.";
            }
        }

        foreach (var status in settings.Statuses)
        {
            if (!Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                yield return $"{at}:Statuses: '{status}' is not a unified status; expected one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.";
            }
        }

        if (settings.Sources.Any(string.IsNullOrWhiteSpace) || settings.Accounts.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{at}: Sources and Accounts must not hold an empty value.";
        }

        if (settings.AttemptTimeout <= TimeSpan.Zero)
        {
            yield return $"{at}:AttemptTimeout must be positive (for example 00:00:10).";
        }

        if (settings.MaxRetryDelay < WebhookDefaults.FirstRetryDelay)
        {
            yield return $"{at}:MaxRetryDelay must be at least {WebhookDefaults.FirstRetryDelay.TotalSeconds:0} second (for example 00:05:00).";
        }

        if (settings.RetryHorizon < TimeSpan.Zero)
        {
            yield return $"{at}:RetryHorizon must be zero or more (for example 1.00:00:00 for a day).";
        }
    }

    private static string? SecretProblem(string? secret)
    {
        const string Expected = "must be 'whsec_' followed by 24 to 64 random bytes in base64 (for example: openssl rand -base64 32).";
        if (string.IsNullOrEmpty(secret))
        {
            return "is required: " + Expected;
        }

        if (!secret.StartsWith(WebhookDefaults.SecretPrefix, StringComparison.Ordinal))
        {
            return Expected;
        }

        var bytes = new byte[WebhookDefaults.MaxSecretBytes + 3];
        return Convert.TryFromBase64String(secret[WebhookDefaults.SecretPrefix.Length..], bytes, out var length)
            && length is >= WebhookDefaults.MinSecretBytes and <= WebhookDefaults.MaxSecretBytes
            ? null
            : Expected;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SubscriptionName();
}
