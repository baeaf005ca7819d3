using Shouldly;
using Xunit;

namespace OrderHub.Tests.Errors;

public sealed class ErrorTaxonomyTests
{
    public static TheoryData<OrderHubException, string> Kinds() => new()
    {
        { new OrderNotFoundException("m"), "not_found" },
        { new InvalidOrderRequestException("m"), "invalid_request" },
        { new OrderConflictException("m"), "conflict" },
        { new OrderSourceThrottledException("m", null), "throttled" },
        { new OrderSourceAuthenticationException("m"), "authentication" },
        { new OrderSourceUnavailableException("m"), "unavailable" },
        { new OrderSourceProtocolException("m", null), "protocol" },
        { new OrderPageTokenExpiredException("m"), "page_token_expired" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryError_HasAStableKind_ThatStoresAndScriptsMayKeep(OrderHubException error, string kind) =>
        error.ErrorKind.ShouldBe(kind);

    [Fact]
    public void AConflictAndAnExpiredPageToken_AreNotInvalidRequests()
    {
        // A conflict is the order's state, an expired token the upstream's: neither is the caller's bad input (400).
        new OrderConflictException("m").ShouldNotBeAssignableTo<InvalidOrderRequestException>();
        new OrderPageTokenExpiredException("m").ShouldNotBeAssignableTo<InvalidOrderRequestException>();
    }
}
