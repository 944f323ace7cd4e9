namespace Gatehouse.Vocabulary.Tests;

public sealed class RemoteForwardingPortsTests
{
    [Theory]
    [InlineData("8080", "8080")]
    [InlineData("8000-8099", "8000-8099")]
    [InlineData("443-443", "443")]
    [InlineData("*", "*")]
    public void Valid_patterns_are_stored_in_one_form(string pattern, string stored)
    {
        Assert.Null(RemoteForwardingPorts.Validate(pattern));
        Assert.Equal(stored, RemoteForwardingPorts.Normalise(pattern));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("08080")]
    [InlineData("9000-8000")]
    [InlineData("localhost:8080")]
    [InlineData("80,443")]
    [InlineData(" 8080")]
    public void Anything_else_is_refused_with_the_rule(string pattern)
    {
        Assert.Contains(pattern == "" ? "empty" : RemoteForwardingPorts.Rule, RemoteForwardingPorts.Validate(pattern));
    }
}
