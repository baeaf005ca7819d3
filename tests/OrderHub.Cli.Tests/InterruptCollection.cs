using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// The collection of the tests that stop a CLI process with SIGINT and time its stop (<see cref="CliOutputTests"/>,
/// <see cref="IncrementalSyncProcessTests"/>), never in parallel with another: each waits a bounded time for its
/// process to stop, which a machine loaded by the other process tests makes longer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InterruptCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Stopped with Ctrl+C";
}
