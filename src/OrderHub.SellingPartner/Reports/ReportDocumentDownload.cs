using System.IO.Compression;
using System.Net;
using System.Text;
using OrderHub.Http;

namespace OrderHub.SellingPartner.Reports;

/// <summary>
/// Downloads a report document from its pre-signed URL: a bare GET through the source's transport, below every handler
/// OrderHub adds, so it carries no access token and no other OrderHub credential (the URL is the credential, and the
/// document host is not the API's). Only the answer's headers are awaited, within the attempt timeout; the body is
/// read as a stream, decompressed on the way when the document is gzip.
/// </summary>
internal sealed class ReportDocumentDownload(UpstreamTransport transport, TimeProvider clock, TimeSpan headersTimeout)
{
    /// <summary>The header the document host (Amazon S3) names its request with.</summary>
    public const string HostRequestIdHeader = "x-amz-request-id";

    /// <summary>Sends the GET and returns once the answer's headers are in; the caller owns (and disposes) the answer.</summary>
    /// <param name="url">The pre-signed URL.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer, whatever its status.</returns>
    /// <exception cref="TimeoutException">No headers came within the timeout.</exception>
    public async Task<HttpResponseMessage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(transport.AsInnermostHandler(), disposeHandler: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var timeout = new CancellationTokenSource(headersTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await invoker.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The document host sent no answer within the attempt timeout.");
        }
    }

    /// <summary>Opens an answer's body, decompressing gzip when the document is said to be gzip.</summary>
    /// <param name="response">A 2xx answer.</param>
    /// <param name="gzip">Whether <c>compressionAlgorithm</c> is <c>GZIP</c>.</param>
    /// <param name="cancellationToken">Cancels the reading of the first bytes.</param>
    /// <returns>The document's text as bytes.</returns>
    public static async Task<Stream> OpenAsync(HttpResponseMessage response, bool gzip, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (!gzip)
        {
            return body;
        }

        // An HTTP handler that honours a Content-Encoding of gzip has already decompressed the bytes: the gzip magic
        // number tells, since a flat file starts with its header's text.
        var start = new byte[2];
        var read = 0;
        while (read < start.Length)
        {
            var n = await body.ReadAsync(start.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var whole = new PrefixedStream(start.AsMemory(0, read), body);
        return read == 2 && start[0] == 0x1f && start[1] == 0x8b ? new GZipStream(whole, CompressionMode.Decompress) : whole;
    }

    /// <summary>Reads the encoding an answer's <c>Content-Type</c> names (<c>charset=Cp1252</c>, <c>UTF-8</c>, ...).</summary>
    /// <param name="response">The answer.</param>
    /// <returns>The encoding; <see langword="null"/> for UTF-8, none named, or one that is not known.</returns>
    public static Encoding? EncodingOf(HttpResponseMessage response)
    {
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"', ' ');
        if (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Java's names, which Amazon's documents use, for the code pages .NET knows by number.
        if (charset.StartsWith("Cp", StringComparison.OrdinalIgnoreCase) && int.TryParse(charset.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var codePage))
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(codePage);
        }

        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads the first bytes of an error answer (an S3 error document), for a protocol error's excerpt.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>At most <see cref="OrderSourceProtocolException.MaxExcerptLength"/> bytes, as text.</returns>
    public static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[OrderSourceProtocolException.MaxExcerptLength];
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var read = 0;
            try
            {
                while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false) is var n and > 0)
                {
                    read += n;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // What arrived is enough for an excerpt.
            }

            return Encoding.UTF8.GetString(buffer, 0, read);
        }
    }

    /// <summary>Gets whether a status of the document host means the URL was refused: expired, or its signature not accepted.</summary>
    /// <param name="status">The status.</param>
    /// <returns>Whether a new URL may succeed.</returns>
    public static bool IsRefusedUrl(HttpStatusCode status) => status == HttpStatusCode.Forbidden;

    // The first bytes, already read, then the rest of the body.
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return rest.ReadAsync(buffer, cancellationToken);
            }

            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await rest.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
