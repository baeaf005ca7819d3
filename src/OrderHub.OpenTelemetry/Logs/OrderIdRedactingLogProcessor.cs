using OpenTelemetry;
using OpenTelemetry.Logs;
using OrderHub.Redaction;

namespace OrderHub.Telemetry.Logs;

/// <summary>
/// Takes order ids out of every log record before it is exported: its attributes (OrderHub's own <c>OrderId</c>, an
/// HTTP client's <c>Uri</c>), its formatted message and its body. OrderHub's logs name the order a retry or a failure is
/// about, for the operator reading them; an exported record is telemetry, and carries none.
/// </summary>
internal sealed class OrderIdRedactingLogProcessor : BaseProcessor<LogRecord>
{
    /// <inheritdoc />
    public override void OnEnd(LogRecord data)
    {
        if (data.Attributes is { Count: > 0 } attributes)
        {
            KeyValuePair<string, object?>[]? copy = null;
            for (var i = 0; i < attributes.Count; i++)
            {
                if (Text(attributes[i].Value) is { } value && OrderIdRedaction.TryRedact(value, out var without))
                {
                    copy ??= [.. attributes];
                    copy[i] = new(attributes[i].Key, without);
                }
            }

            if (copy is not null)
            {
                data.Attributes = copy;
            }
        }

        if (OrderIdRedaction.TryRedact(data.FormattedMessage, out var message))
        {
            data.FormattedMessage = message;
        }

        if (OrderIdRedaction.TryRedact(data.Body, out var body))
        {
            data.Body = body;
        }
    }

    // What an exporter writes for a value, where it may hold an id: a string as it is, an object as its text (a Uri,
    // for one). Numbers, dates and flags cannot.
    private static string? Text(object? value) => value switch
    {
        string text => text,
        null or bool or IFormattable => null,
        _ => value.ToString(),
    };
}
