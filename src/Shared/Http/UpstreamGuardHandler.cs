using System.Buffers;
using OrderHub.Diagnostics;

namespace OrderHub.Http;

/// <summary>
/// The handler every attempt ends in, above the network: it refuses redirects (a credential would follow them to
/// another host), reads the whole body up to the call's cap into memory (so one pass reads it, and a body over the cap
/// is a protocol error, never a huge allocation), and counts and times the attempt, whatever comes of it.
/// </summary>
internal sealed class UpstreamGuardHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = UpstreamCall.Of(request);
        var intended = request.RequestUri!.GetLeftPart(UriPartial.Authority);
        var started = call.Clock.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.RequestMessage?.RequestUri is { } final && !string.Equals(final.GetLeftPart(UriPartial.Authority), intended, StringComparison.OrdinalIgnoreCase))
            {
                throw new OrderSourceProtocolException(
                    $"{call.Upstream} redirected the request to {final.Authority}, and the HTTP handler followed it. Configure the handler with AllowAutoRedirect = false.",
                    null,
                    ContextOf(call, response));
            }

            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var target = response.Headers.Location is { } location
                    ? (location.IsAbsoluteUri ? location.Authority : request.RequestUri!.Authority)
                    : "no Location";
                throw new OrderSourceProtocolException(
                    $"{call.Upstream} answered HTTP {(int)response.StatusCode} redirecting to {target}. Redirects are not followed, so that credentials go only to the configured host; check the endpoint.",
                    null,
                    ContextOf(call, response));
            }

            var body = await ReadBodyAsync(response, call, cancellationToken).ConfigureAwait(false);
            var buffered = new ReadBody(body);
            foreach (var (name, values) in response.Content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(name, values);
            }

            buffered.Headers.ContentLength = body.Length;
            response.Content.Dispose();
            response.Content = buffered;
            OrderHubTelemetry.RecordAttempt(call.SourceName, call.Operation, response.StatusCode, null, call.Clock.GetElapsedTime(started));
            return response;
        }
        catch (Exception e)
        {
            OrderHubTelemetry.RecordAttempt(call.SourceName, call.Operation, (e as OrderHubException)?.StatusCode, e, call.Clock.GetElapsedTime(started));
            response?.Dispose();
            throw;
        }
    }

    /// <summary>Gets the body the guard read, without copying it again.</summary>
    /// <param name="response">A response that came through the guard.</param>
    /// <returns>The body.</returns>
    /// <exception cref="InvalidOperationException">The response did not come through the guard.</exception>
    public static byte[] BodyOf(HttpResponseMessage response) =>
        (response.Content as ReadBody)?.Bytes ?? throw new InvalidOperationException("The response did not come through the guard.");

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, UpstreamCall call, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } announced && announced > call.MaxResponseBytes)
        {
            throw TooLarge(call, response);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(call.MaxResponseBytes + 1, 64 * 1024));
            try
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(call.MaxResponseBytes + 1, (long)buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > call.MaxResponseBytes)
                    {
                        throw TooLarge(call, response);
                    }
                }

                return buffer.AsSpan(0, length).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static OrderSourceProtocolException TooLarge(UpstreamCall call, HttpResponseMessage response) => new(
        $"{call.Upstream} sent a response larger than {call.MaxResponseBytes} bytes, the most OrderHub reads (MaxResponseBytes).",
        null,
        ContextOf(call, response));

    private static OrderErrorContext ContextOf(UpstreamCall call, HttpResponseMessage response) =>
        call.Context with { StatusCode = response.StatusCode, RequestId = UpstreamHttp.Header(response, call.RequestIdHeader) };

    // The body as read, kept as the response's content: handlers and callers take the array itself.
    private sealed class ReadBody : ByteArrayContent
    {
        public ReadBody(byte[] bytes)
            : base(bytes) => Bytes = bytes;

        public byte[] Bytes { get; }
    }
}
