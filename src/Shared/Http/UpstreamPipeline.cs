using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace OrderHub.Http;

/// <summary>What every provider's resilience pipeline shares: finding the call it runs for, and the attempt timeout.</summary>
internal static class UpstreamPipeline
{
    // Polly treats a zero timeout as none: what is left of a call's budget is at least a millisecond.
    private static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Gets the call of the request a pipeline runs for.</summary>
    /// <typeparam name="T">The provider's call type.</typeparam>
    /// <param name="context">The pipeline's context, which <c>ResilienceHandler</c> gives the request.</param>
    /// <returns>The call.</returns>
    public static T CallOf<T>(ResilienceContext context)
        where T : UpstreamCall =>
        UpstreamCall.Of<T>(context.GetRequestMessage() ?? throw new InvalidOperationException("The pipeline runs without its request."));

    /// <summary>Bounds each attempt by <paramref name="attemptTimeout"/>, or by what is left of the call's budget when that is less.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="attemptTimeout">The longest an attempt may take.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddAttemptTimeout(this ResiliencePipelineBuilder<HttpResponseMessage> builder, TimeSpan attemptTimeout) =>
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = attemptTimeout,
            TimeoutGenerator = args =>
            {
                var remaining = CallOf<UpstreamCall>(args.Context).Budget.Remaining;
                return ValueTask.FromResult(remaining < attemptTimeout ? (remaining > MinimumAttemptTimeout ? remaining : MinimumAttemptTimeout) : attemptTimeout);
            },
        });
}
