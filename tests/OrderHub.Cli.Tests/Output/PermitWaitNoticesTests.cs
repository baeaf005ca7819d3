using OrderHub.Cli.Output;
using OrderHub.Diagnostics;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests.Output;

public sealed class PermitWaitNoticesTests
{
    [Fact]
    public void AWaitOfACoupleOfSecondsOrMore_IsSaidOnce_ForItsSourceAndOperation_AndAShortOneNever()
    {
        using var output = new StringWriter();
        var source = $"sp-{Guid.NewGuid():N}";

        PermitWaitNotices.Say(new PermitWaitEventArgs(source, "getOrder", TimeSpan.FromMilliseconds(1500)), output).ShouldBeFalse("the pacing's ordinary rhythm is not news");
        PermitWaitNotices.Say(new PermitWaitEventArgs(source, "searchOrders", TimeSpan.FromSeconds(170), "Redis at redis1:6379"), output).ShouldBeTrue();
        PermitWaitNotices.Say(new PermitWaitEventArgs(source, "searchOrders", TimeSpan.FromSeconds(169)), output).ShouldBeFalse("parallel readers would repeat it");
        PermitWaitNotices.Say(new PermitWaitEventArgs(source, "getOrder", TimeSpan.FromSeconds(2)), output).ShouldBeTrue("another operation is another wait");

        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe([$"waiting for {source} searchOrders permit (shared through Redis at redis1:6379), about 2 m 50 s...", $"waiting for {source} getOrder permit (this process only), about 2 s..."]);
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(59, "59 s")]
    [InlineData(170, "2 m 50 s")]
    [InlineData(3900, "1 h 5 m")]
    public void AWait_IsSaidInWords(double seconds, string words) =>
        PermitWaitEventArgs.Describe(TimeSpan.FromSeconds(seconds)).ShouldBe(words);
}
