using OrderHub.Cli.Commands.Sync;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

public sealed class PageProgressTests
{
    [Fact]
    public void EachLine_SaysWhatItsPageAdded_ThenTheTotalsSoFar()
    {
        using var output = new StringWriter();
        var progress = new IncrementalSyncHandler.PageProgress(quiet: false, output);

        progress.Report(new IncrementalSyncProgress { Source = "sp-api", Scope = "all", Pages = 1, Inserted = 5 });
        progress.Report(new IncrementalSyncProgress { Source = "sp-api", Scope = "all", Pages = 2, Inserted = 7, Updated = 2, Unchanged = 1 });

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("page 1: 5 new, 0 updated, 0 unchanged; cursor ");
        lines[1].ShouldStartWith("page 2: 2 new, 2 updated, 1 unchanged (so far 7 new, 2 updated, 1 unchanged); cursor ");
    }
}
