using System.Security.Claims;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authentication.Tests.Tokens.CheckingTokenHolder;

/// <summary>A host's memory of token holders: a user change forgets at once, and an answer overtaken by a change is not kept.</summary>
public class When_a_host_remembers_token_holders
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
    private static readonly TokenHolder Ann = new("ann", Guid.NewGuid(), false, ["soc-analyst"], 0);

    [Fact]
    public void Should_answer_from_memory_until_the_entry_expires()
    {
        var cache = new TokenHolderCache();
        cache.Remember("ann", Ann, Now.AddSeconds(30), cache.Changes);

        Assert.True(cache.TryGet("ann", Now.AddSeconds(29), out var holder));
        Assert.Equal(Ann, holder);
        Assert.False(cache.TryGet("ann", Now.AddSeconds(30), out _));
    }

    [Fact]
    public void Should_forget_a_user_when_a_change_is_heard()
    {
        var cache = new TokenHolderCache();
        cache.Remember("ann", Ann, Now.AddSeconds(30), cache.Changes);

        cache.Forget("ann");

        Assert.False(cache.TryGet("ann", Now, out _));
    }

    [Fact]
    public void Should_not_keep_an_answer_asked_for_before_a_change_was_heard()
    {
        var cache = new TokenHolderCache();
        var before = cache.Changes;
        cache.Forget("ann"); // the disable arrives while the question is on its way

        cache.Remember("ann", Ann, Now.AddSeconds(30), before);

        Assert.False(cache.TryGet("ann", Now, out _));
    }
}
