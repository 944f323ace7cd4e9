namespace Gatehouse.Vocabulary.Tests;

public sealed class PrintableTests
{
    [Theory]
    [InlineData("suspicious activity", "suspicious activity")]
    [InlineData("set title\u001b]0;owned\u0007", "set title?]0;owned?")]
    [InlineData("two\r\nlines", "two??lines")]
    [InlineData("c1 csi \u009b31m", "c1 csi ?31m")]
    [InlineData("tab\tand nul\0", "tab?and nul?")]
    [InlineData("été, 東京", "été, 東京")]
    public void Should_replace_every_control_character(string given, string shown) => Assert.Equal(shown, Printable.Of(given));

    [Fact]
    public void Should_cut_to_the_length_asked() => Assert.Equal("abc", Printable.Of("abc\u001bdef", 3));
}
