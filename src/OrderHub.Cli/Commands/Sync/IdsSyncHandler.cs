using System.Security.Cryptography;
using System.Text;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Sync;

/// <summary><c>sync --ids FILE</c>: the orders of a file of ids, as one run named after them.</summary>
/// <param name="lookup">The sources.</param>
/// <param name="run">Adds and runs.</param>
/// <param name="log">Where skipped lines are said (standard error).</param>
internal sealed class IdsSyncHandler(OrderLookup lookup, SyncRun run, TextWriter log)
{
    /// <summary>Checks every id of the file, then adds them while the run reads them.</summary>
    /// <param name="file">The ids.</param>
    /// <param name="sourceName">The source of every id; by default each one's is recognized from its format.</param>
    /// <param name="runName">The run's name; by default derived from the ids, so the same file resumes the same run.</param>
    /// <param name="refresh">Whether to read again what the run already stored.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="InvalidOrderRequestException">No line of the file is an id of a configured source; nothing was written.</exception>
    public async Task<SyncRunReport> RunAsync(OrderIdsFile file, string? sourceName, string? runName, bool refresh, CancellationToken cancellationToken)
    {
        var named = sourceName is null ? null : lookup.GetSource(sourceName);

        // One pass over the file, in constant memory, checks every id and names the run after all of them; before the
        // database is opened (or created).
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{sourceName}\n"));
        var lines = 0;
        var unrecognized = 0;
        await foreach (var id in file.ReadAsync(cancellationToken))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(lines++ == 0 ? id : $"\n{id}"));
            if (Reference(named, id, out var why) is null)
            {
                unrecognized++;
                await log.WriteLineAsync($"skipped: {why}");
            }
        }

        if (lines == unrecognized)
        {
            throw new InvalidOrderRequestException($"No order id to sync: the file held {lines} line(s), none of them an id of a configured source. Nothing was written.");
        }

        var runId = runName ?? $"ids-{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
        return await run.RunAsync(
            runId,
            async cancel =>
            {
                // The second pass adds the ids while the run reads them: the first requests go out after the first
                // batch, not after the whole file.
                var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var adding = run.Sync.AddReferencesAsync(runId, RecognizedAsync(file, named, cancel), new FirstBatch(first), cancel);
                await Task.WhenAny(first.Task, adding);
                if (adding.IsCompleted || refresh)
                {
                    await adding;
                }

                return adding;
            },
            refresh,
            unrecognized,
            cancellationToken);
    }

    // The source an id is synced from: the one named, else the one that recognizes it; null (and why) for neither.
    private OrderReference? Reference(IOrderSource? named, string id, out string? why)
    {
        try
        {
            // The lookup routes on the format (saying what to configure for an id no source recognizes); a source
            // named for every id checks each one against its own.
            named?.OrderIdFormat.Validate(id, named.Name);
            why = null;
            return new OrderReference((named ?? lookup.ResolveSource(id)).Name, id);
        }
        catch (InvalidOrderRequestException e)
        {
            why = e.Message;
            return null;
        }
    }

    private async IAsyncEnumerable<OrderReference> RecognizedAsync(OrderIdsFile file, IOrderSource? named, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var id in file.ReadAsync(cancellationToken))
        {
            if (Reference(named, id, out _) is { } reference)
            {
                yield return reference;
            }
        }
    }

    /// <summary>Completes when the first batch of references is stored (on the adder's thread, not posted later).</summary>
    private sealed class FirstBatch(TaskCompletionSource stored) : IProgress<int>
    {
        public void Report(int value) => stored.TrySetResult();
    }
}
