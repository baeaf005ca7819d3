using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests.Limiters;

public sealed class GrantedBurstEstimatorTests
{
    private const double Rate = 0.5;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NothingIsLearned_BeforeA429_HoweverFewAreAccepted()
    {
        var estimator = new GrantedBurstEstimator(30, _clock);

        for (var i = 0; i < 5; i++)
        {
            estimator.Accepted(Rate).ShouldBeNull();
        }

        estimator.Learned.ShouldBeNull();
    }

    [Fact]
    public void A429AfterABurst_LearnsWhatWasAccepted_AndLaterAnswersOfThatBurstRaiseIt()
    {
        var estimator = new GrantedBurstEstimator(30, _clock);
        for (var i = 0; i < 4; i++)
        {
            estimator.Accepted(Rate);
        }

        estimator.Throttled(Rate).ShouldBe(4);
        estimator.Accepted(Rate).ShouldBe(5, "an answer of the same burst that arrives after the 429");
        estimator.Throttled(Rate).ShouldBeNull("a later 429 does not lower what was proven");
        estimator.Learned.ShouldBe(5);
    }

    [Fact]
    public void AcceptedAnswersSpreadOverTime_ProveOnlyWhatTheRateDoesNotExplain()
    {
        var estimator = new GrantedBurstEstimator(30, _clock);
        for (var i = 0; i < 6; i++)
        {
            estimator.Accepted(Rate);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Six answers over 5 s at 0.5/s: the bucket held at least 6 - 2.5, so 4.
        estimator.Throttled(Rate).ShouldBe(4);
    }

    [Fact]
    public void A429ToAPacedCaller_TeachesNothing()
    {
        var estimator = new GrantedBurstEstimator(30, _clock);
        for (var i = 0; i < 10; i++)
        {
            estimator.Accepted(Rate);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        estimator.Throttled(Rate).ShouldBeNull("one request per permit proves no burst: the 429 came from someone else's use");
        estimator.Learned.ShouldBeNull();
    }
}
