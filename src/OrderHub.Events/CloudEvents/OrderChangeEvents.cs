using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using OrderHub.Sync;

namespace OrderHub.Events;

/// <summary>
/// The one mapping of a change log entry (<see cref="OrderChange"/>) to a CloudEvents 1.0 event, and its JSON form, used
/// alike by <c>GET /changes</c>, <c>orderhub changes --json</c> and webhooks.
/// </summary>
/// <remarks>
/// <para>
/// An event's <c>id</c> is the entry's position (decimal): unique within the store, increasing in commit order, and the
/// value to read after next (<c>GET /changes?after=</c>). <c>type</c> is <see cref="CreatedType"/> or
/// <see cref="UpdatedType"/>, <c>source</c> the OrderHub source's name, <c>subject</c> the order id, <c>time</c> when the
/// change was stored, and <c>data</c> the order's public JSON (no personal data, no raw payload) as it is when the entry
/// is read. The extension attributes <c>orderstatus</c> and <c>orderstatusbefore</c> carry the unified status after and
/// before the change (the latter absent on a created order).
/// </para>
/// </remarks>
public static class OrderChangeEvents
{
    /// <summary>The type of the event for an order stored for the first time.</summary>
    public const string CreatedType = "orderhub.order.created";

    /// <summary>The type of the event for an order stored again with other content.</summary>
    public const string UpdatedType = "orderhub.order.updated";

    /// <summary>The media type of one event in the structured JSON format.</summary>
    public const string EventMediaType = "application/cloudevents+json";

    /// <summary>The media type of a batch of events in the JSON format.</summary>
    public const string BatchMediaType = "application/cloudevents-batch+json";

    /// <summary>Gets the extension attribute with the order's unified status after the change.</summary>
    public static CloudEventAttribute StatusAttribute { get; } = CloudEventAttribute.CreateExtension("orderstatus", CloudEventAttributeType.String);

    /// <summary>Gets the extension attribute with the order's unified status before the change (absent on a created order).</summary>
    public static CloudEventAttribute StatusBeforeAttribute { get; } = CloudEventAttribute.CreateExtension("orderstatusbefore", CloudEventAttributeType.String);

    private static readonly CloudEventAttribute[] Extensions = [StatusAttribute, StatusBeforeAttribute];

    private static readonly JsonEventFormatter Formatter = new();

    /// <summary>Gets the event type of a kind of change.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see cref="CreatedType"/> or <see cref="UpdatedType"/>.</returns>
    public static string TypeOf(OrderChangeKind kind) => kind == OrderChangeKind.Created ? CreatedType : UpdatedType;

    /// <summary>Maps a change log entry to its event.</summary>
    /// <param name="change">The entry.</param>
    /// <returns>The event, valid as CloudEvents 1.0 requires.</returns>
    public static CloudEvent ToCloudEvent(OrderChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, Extensions)
        {
            Id = change.Position.ToString(CultureInfo.InvariantCulture),
            Type = TypeOf(change.Kind),
            Source = new Uri(change.Reference.Source, UriKind.RelativeOrAbsolute),
            Subject = change.Reference.OrderId,
            Time = change.ChangedAt,
            [StatusAttribute] = change.StatusAfter.ToString(),
        };
        if (change.StatusBefore is { } before)
        {
            cloudEvent[StatusBeforeAttribute] = before.ToString();
        }

        if (change.PublicJson is { } json)
        {
            cloudEvent.DataContentType = MediaTypeNames.Application.Json;
            using var document = JsonDocument.Parse(json);
            cloudEvent.Data = document.RootElement.Clone();
        }

        return cloudEvent;
    }

    /// <summary>Writes one event in the structured JSON format (<see cref="EventMediaType"/>).</summary>
    /// <param name="cloudEvent">The event.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static ReadOnlyMemory<byte> Encode(CloudEvent cloudEvent) => Formatter.EncodeStructuredModeMessage(cloudEvent, out _);

    /// <summary>Writes events as a JSON batch (<see cref="BatchMediaType"/>): an array, in the order given.</summary>
    /// <param name="cloudEvents">The events.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static ReadOnlyMemory<byte> EncodeBatch(IEnumerable<CloudEvent> cloudEvents) => Formatter.EncodeBatchModeMessage(cloudEvents, out _);

    /// <summary>Reads one event written by <see cref="Encode"/>, the two status attributes included.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The event.</returns>
    public static CloudEvent Decode(ReadOnlyMemory<byte> json) => Formatter.DecodeStructuredModeMessage(json, new ContentType(EventMediaType), Extensions);

    /// <summary>Reads a batch written by <see cref="EncodeBatch"/>, the two status attributes included.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The events, in their order.</returns>
    public static IReadOnlyList<CloudEvent> DecodeBatch(ReadOnlyMemory<byte> json) => Formatter.DecodeBatchModeMessage(json, new ContentType(BatchMediaType), Extensions);
}
