using System.Runtime.CompilerServices;

namespace OrderHub.Cli.Commands;

/// <summary>
/// The order ids of <c>sync --ids</c>, one per line (blank lines and lines starting with '#' skipped), read as a
/// stream: a file of any length is read in constant memory, once to check it and name its run, once to add it to the
/// run. Standard input, which cannot be read twice, is first copied to a temporary file that goes when this does.
/// </summary>
internal sealed class OrderIdsFile : IDisposable
{
    private readonly string _path;
    private readonly bool _temporary;

    private OrderIdsFile(string path, bool temporary)
    {
        _path = path;
        _temporary = temporary;
    }

    /// <summary>Opens the file at <paramref name="path"/>, or standard input for '-'.</summary>
    public static async Task<OrderIdsFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (path != "-")
        {
            return File.Exists(path)
                ? new OrderIdsFile(path, temporary: false)
                : throw new InvalidOrderRequestException($"The ids file '{path}' does not exist. Expected a file with one order id per line, or '-' for standard input.");
        }

        var copy = Path.GetTempFileName();
        try
        {
            await using var input = Console.OpenStandardInput();
            await using var output = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await input.CopyToAsync(output, cancellationToken);
            return new OrderIdsFile(copy, temporary: true);
        }
        catch
        {
            File.Delete(copy);
            throw;
        }
    }

    /// <summary>Reads the ids, from the first line.</summary>
    public async IAsyncEnumerable<string> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(_path);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var id = line.Trim();
            if (id.Length > 0 && !id.StartsWith('#'))
            {
                yield return id;
            }
        }
    }

    public void Dispose()
    {
        if (_temporary)
        {
            File.Delete(_path);
        }
    }
}
