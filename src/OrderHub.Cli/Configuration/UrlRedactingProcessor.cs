using System.Diagnostics;
using OpenTelemetry;

namespace OrderHub.Cli.Configuration;

/// <summary>
/// Takes order ids out of the URLs of spans before they are exported: the HTTP client's <c>url.full</c> gets a
/// templated path (<c>/orders/v0/orders/{orderId}</c>), a server span's <c>url.path</c> its <c>http.route</c>. Ids are
/// customer data, and both instrumentations copy the request's own URL into those tags.
/// </summary>
internal sealed class UrlRedactingProcessor : BaseProcessor<Activity>
{
    /// <summary>What stands for an order id in a redacted URL.</summary>
    public const string Placeholder = "{orderId}";

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem("url.full") is string full)
        {
            data.SetTag("url.full", Redact(full));
        }

        if (data.GetTagItem("url.path") is string path)
        {
            // The route is already a template; without one (an unknown path) the ids that can be recognized go.
            data.SetTag("url.path", data.GetTagItem("http.route") as string ?? Redact(path));
        }
    }

    /// <summary>Replaces every path segment that is an order id of a known marketplace by <see cref="Placeholder"/>.</summary>
    /// <param name="url">An absolute URL or a path.</param>
    /// <returns>The URL without order ids.</returns>
    public static string Redact(string url)
    {
        var queryAt = url.IndexOfAny(['?', '#']);
        var path = queryAt < 0 ? url : url[..queryAt];
        var segments = path.Split('/');
        var changed = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = Uri.UnescapeDataString(segments[i]);
            if (segment.Length > 0 && KnownOrderIdFormats.All.Any(known => known.Format.IsMatch(segment)))
            {
                segments[i] = Placeholder;
                changed = true;
            }
        }

        return changed ? string.Join('/', segments) + (queryAt < 0 ? string.Empty : url[queryAt..]) : url;
    }
}
