using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sources;

public sealed class OrderIdFormatTests
{
    [Theory]
    [InlineData("902-3159896-1390916", true)]
    [InlineData("902-3159896-139091", false)]
    [InlineData("9023-159896-1390916", false)]
    [InlineData("902-3159896-1390916\n", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsMatch_ThreeSevenSeven_MatchesOnlyWholeIds(string? id, bool expected) =>
        InMemoryOrderSource.ThreeSevenSeven.IsMatch(id).ShouldBe(expected);

    [Fact]
    public void Validate_BadId_ThrowsNamingFormatExampleAndSource()
    {
        var error = Should.Throw<InvalidOrderRequestException>(() => InMemoryOrderSource.OutpostsStyle.Validate("oo-XYZ", "outposts"));

        error.Message.ShouldContain("'oo-' and 17 lowercase hex digits");
        error.Message.ShouldContain("oo-0123456789abcdef0");
        error.Message.ShouldContain("outposts");
        error.ParameterName.ShouldBe("orderId");
        error.SourceName.ShouldBe("outposts");
        error.OrderId.ShouldBe("oo-XYZ");
    }

    [Fact]
    public void Validate_HugeId_IsShortenedInTheMessage()
    {
        var huge = new string('7', 10_000);

        var error = Should.Throw<InvalidOrderRequestException>(() => InMemoryOrderSource.ThreeSevenSeven.Validate(huge, "sp-api"));

        error.Message.Length.ShouldBeLessThan(300);
    }

    [Fact]
    public void Constructor_ExampleNotInPattern_Throws() =>
        Should.Throw<ArgumentException>(() => new OrderIdFormat("digits", "abc", new System.Text.RegularExpressions.Regex("^[0-9]+$")));
}
