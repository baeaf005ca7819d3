using System.Globalization;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Model;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("11.01", "11.01")]
    [InlineData("0", "0")]
    [InlineData("-3.5", "-3.5")]
    [InlineData("12345678901234567890.123456789", "12345678901234567890.123456789")]
    [InlineData("0.1", "0.1")]
    public void TryParseAmount_PlainDecimal_IsExact(string text, string expected)
    {
        Money.TryParseAmount(text, out var amount).ShouldBeTrue();
        amount.ShouldBe(decimal.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1,000.00")]
    [InlineData("11,01")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseAmount_NotAPlainDecimal_Fails(string? text) => Money.TryParseAmount(text, out _).ShouldBeFalse();

    [Fact]
    public void TryParseAmount_IgnoresTheCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            var commaDecimals = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            commaDecimals.NumberFormat.NumberDecimalSeparator = ",";
            commaDecimals.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = commaDecimals;
            Money.TryParseAmount("11.01", out var amount).ShouldBeTrue();
            amount.ShouldBe(11.01m);
            new Money(amount, "EUR").ToString().ShouldBe("11.01 EUR");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Sum_OfTenthsIsExact() => Enumerable.Repeat(0.1m, 10).Sum().ShouldBe(1.0m);
}
