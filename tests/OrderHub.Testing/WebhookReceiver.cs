using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace OrderHub.Testing;

/// <summary>
/// A webhook receiver on a loopback Kestrel server: it checks every request's signature with the Standard Webhooks
/// library's own verifier, records it, and answers what <see cref="Answer"/> says (200 unless told otherwise). The
/// events it accepted, one per <c>webhook-id</c>, rebuild the orders as a downstream system would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(LoopbackServer server) => _server = server;

    /// <summary>Gets the secret it verifies with, as Standard Webhooks writes one.</summary>
    public static string Secret { get; } = "whsec_" + Convert.ToBase64String(Encoding.ASCII.GetBytes("a test secret of 32 bytes length"));

    /// <summary>Gets the URL to deliver to: a path and query that must never be logged.</summary>
    public Uri Url => new(_server.BaseAddress, "hooks/orders-7f3a?token=do-not-log-me");

    /// <summary>Gets or sets what the receiver answers to a request, given the requests received before it: a status code.</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => StatusCodes.Status200OK;

    /// <summary>Gets every request received, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Gets the requests it answered 2xx, the first of each <c>webhook-id</c> only: what a deduplicating receiver keeps.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted =>
        [.. _received.Where(r => r.Status is >= 200 and < 300).GroupBy(r => r.Id).Select(g => g.First())];

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var server = await LoopbackServer.StartAsync(app => app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            string? problem = null;
            try
            {
                new StandardWebhook(Secret).Verify(body, http.Request.Headers);
            }
            catch (Exception e) when (e is StandardWebhooks.Diagnostics.WebhookVerificationException or FormatException or ArgumentException)
            {
                problem = e.Message;
            }

            var received = new ReceivedWebhook(
                http.Request.Headers["webhook-id"].ToString(),
                http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(),
                http.Request.ContentType,
                body,
                problem,
                receiver!._received.Count,
                0);
            var status = receiver.Answer(received);
            receiver._received.Enqueue(received with { Status = status });
            http.Response.StatusCode = status;
            if (status is >= 300 and < 400)
            {
                http.Response.Headers.Location = "http://127.0.0.1:1/elsewhere";
            }
        }));
        receiver = new WebhookReceiver(server);
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>A request a <see cref="WebhookReceiver"/> received.</summary>
/// <param name="Id">The <c>webhook-id</c> header.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> header.</param>
/// <param name="Signature">The <c>webhook-signature</c> header.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Body">The body, as text.</param>
/// <param name="VerificationProblem">Why the Standard Webhooks verifier refused it; <see langword="null"/> when it verified.</param>
/// <param name="Index">How many requests came before it.</param>
/// <param name="Status">What the receiver answered.</param>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string? ContentType, string Body, string? VerificationProblem, int Index, int Status)
{
    /// <summary>Gets the event's <c>subject</c>: the order id.</summary>
    public string Subject => Event.GetProperty("subject").GetString()!;

    /// <summary>Gets the event's <c>type</c>.</summary>
    public string Type => Event.GetProperty("type").GetString()!;

    /// <summary>Gets the event's <c>source</c>.</summary>
    public string Source => Event.GetProperty("source").GetString()!;

    /// <summary>Gets the event's <c>orderstatus</c> extension.</summary>
    public string OrderStatus => Event.GetProperty("orderstatus").GetString()!;

    /// <summary>Gets the event's <c>id</c>: the change's position.</summary>
    public long Position => long.Parse(Event.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gets the event, parsed.</summary>
    public JsonElement Event => JsonDocument.Parse(Body).RootElement;
}
