using System.Diagnostics;
using OpenTelemetry;
using OrderHub.Redaction;

namespace OrderHub.Telemetry.Trace;

/// <summary>
/// Takes order ids out of every span before it is exported: a tag (the HTTP client's <c>url.full</c>, a server's
/// <c>url.path</c>, anything else), the name and the status description. Both HTTP instrumentations copy the request's
/// own URL into their tags, and OrderHub's requests carry the id in the path; <c>http.route</c> is a template already
/// and is kept as it is.
/// </summary>
internal sealed class OrderIdRedactingActivityProcessor : BaseProcessor<Activity>
{
    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? redacted = null;
        foreach (var tag in data.TagObjects)
        {
            if (tag.Value is string value && OrderIdRedaction.TryRedact(value, out var without))
            {
                (redacted ??= []).Add(new(tag.Key, without));
            }
        }

        // Set once the enumeration is over: a tag set while the tags are enumerated would end the enumeration.
        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }

        if (OrderIdRedaction.TryRedact(data.DisplayName, out var name))
        {
            data.DisplayName = name;
        }

        if (OrderIdRedaction.TryRedact(data.StatusDescription, out var description))
        {
            data.SetStatus(data.Status, description);
        }
    }
}
