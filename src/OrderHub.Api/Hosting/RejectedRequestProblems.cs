using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Problems;

namespace OrderHub.Api.Hosting;

/// <summary>
/// Gives the requests Kestrel rejects itself, before any middleware runs (a NUL or a raw non-ASCII byte in the request
/// line or a header, an unknown HTTP version, a request line or headers over the limits, headers that come too slowly),
/// a problem+json body instead of Kestrel's empty one. Kestrel still decides: it reports each rejection as the
/// diagnostic event <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> (with the connection's features) before it
/// writes its answer, and that answer, an HTTP/1.x head with <c>Content-Length: 0</c>, is the one rewritten here with
/// the problem the application's <see cref="IProblemDetailsService"/> writes, on the connection's way out.
/// </summary>
internal static class RejectedRequestProblems
{
    /// <summary>The diagnostic event Kestrel writes before answering a request it rejected.</summary>
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    // One subscription per application (its DiagnosticListener), for as long as the application lives.
    private static readonly ConditionalWeakTable<DiagnosticListener, IDisposable> Subscriptions = new();

    /// <summary>Wraps each connection's output, and subscribes to Kestrel's rejections, for one endpoint.</summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The connection middleware.</returns>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(IServiceProvider services) => next =>
    {
        if (services.GetService<DiagnosticListener>() is { } listener)
        {
            Subscriptions.GetValue(listener, l => l.Subscribe(new RejectionObserver(), name => name == BadRequestEvent));
        }

        return async connection =>
        {
            var transport = connection.Transport;
            // Below TLS (added before UseHttps, as endpoint defaults are for an https:// URL) the bytes are encrypted:
            // the connection has no TLS feature yet when this middleware runs, and has one when Kestrel rejects.
            var writer = new RejectionRewritingWriter(transport.Output, services, belowTls: connection.Features.Get<ITlsConnectionFeature>() is null);
            connection.Features.Set(writer);
            connection.Transport = new Duplex(transport.Input, writer);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        };
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private sealed class RejectionObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            // The payload is the HTTP/1.x connection's features, the connection's own included (where the writer is).
            if (value.Key == BadRequestEvent
                && value.Value is IFeatureCollection features
                && features.Get<RejectionRewritingWriter>() is { } writer
                && features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException rejection
                && features.Get<IHttpRequestFeature>()?.Protocol is not ("HTTP/2" or "HTTP/3")
                && !(writer.BelowTls && features.Get<ITlsConnectionFeature>() is not null))
            {
                writer.Arm(rejection.StatusCode);
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    /// <summary>
    /// Passes a connection's output through unchanged, except the answer to a rejected request once it is armed: that
    /// answer's head is held back until it is whole, then written again with a problem body. Anything that is not the
    /// expected empty HTTP/1.x answer goes out as it came.
    /// </summary>
    internal sealed class RejectionRewritingWriter(PipeWriter inner, IServiceProvider services, bool belowTls) : PipeWriter
    {
        private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

        private ArrayBufferWriter<byte>? _held;
        private int _status;
        private bool _rewritten;
        private bool _innerMemoryOut;

        /// <summary>Gets a value indicating whether the connection had no TLS when this writer was put on it.</summary>
        public bool BelowTls { get; } = belowTls;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

        /// <summary>Holds back what Kestrel writes next: its answer to the request it has just rejected.</summary>
        /// <param name="status">The status Kestrel answers with.</param>
        public void Arm(int status)
        {
            // Once per connection (Kestrel closes it after a rejection), and never with memory of the inner writer out.
            if (_rewritten || _held is not null || _innerMemoryOut)
            {
                return;
            }

            _status = status;
            _held = new ArrayBufferWriter<byte>();
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (_held is not null)
            {
                return _held.GetMemory(sizeHint);
            }

            _innerMemoryOut = true;
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            if (_held is not null)
            {
                return _held.GetSpan(sizeHint);
            }

            _innerMemoryOut = true;
            return inner.GetSpan(sizeHint);
        }

        public override void Advance(int bytes)
        {
            if (_held is not null)
            {
                _held.Advance(bytes);
                return;
            }

            _innerMemoryOut = false;
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (_held is null)
            {
                return inner.FlushAsync(cancellationToken);
            }

            // Nothing leaves until the head is whole: an answer in pieces is rewritten once.
            return _held.WrittenSpan.IndexOf(EndOfHead) < 0
                ? ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false))
                : ReleaseAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            // Completed without a flush: what was held goes out as it was written.
            if (_held is { } held)
            {
                _held = null;
                inner.Write(held.WrittenSpan);
            }

            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (_held is not null)
            {
                await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        private async ValueTask<FlushResult> ReleaseAsync(CancellationToken cancellationToken)
        {
            var held = _held!.WrittenMemory;
            _held = null;
            _rewritten = true;
            inner.Write((await RewriteAsync(held).ConfigureAwait(false) ?? held).Span);
            return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        // Kestrel's answer to a rejected request is a status line and headers (Content-Length: 0, Connection: close,
        // Date, Server) and no body; it comes back with the same line and headers, the problem's type and length, and
        // the problem. Anything else is left as it is.
        private async Task<ReadOnlyMemory<byte>?> RewriteAsync(ReadOnlyMemory<byte> answer)
        {
            var text = Encoding.Latin1.GetString(answer.Span);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lines = text[..end].Split("\r\n");
            if (end + 4 != text.Length
                || !lines[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
                || !lines[0].Contains($" {_status.ToString(System.Globalization.CultureInfo.InvariantCulture)} ", StringComparison.Ordinal)
                || !lines.Any(l => l.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase))
                || lines.Any(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            var (contentType, body) = await ProblemAsync(_status).ConfigureAwait(false);
            var head = new StringBuilder();
            foreach (var line in lines.Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
            {
                head.Append(line).Append("\r\n");
            }

            head.Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
            byte[] rewritten = [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
            return rewritten;
        }

        // The problem as the application writes every other one (its IProblemDetailsService, its JSON options).
        private async Task<(string ContentType, byte[] Body)> ProblemAsync(int status)
        {
            using var body = new MemoryStream();
            var http = new DefaultHttpContext { RequestServices = services };
            http.Response.Body = body;
            await OrderProblems.RejectedByServer(status).ExecuteAsync(http).ConfigureAwait(false);
            return (http.Response.ContentType ?? "application/problem+json", body.ToArray());
        }
    }
}
