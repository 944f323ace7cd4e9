using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Targets;

/// <summary>
/// The target answers tcpip-forward and cancel-tcpip-forward requests in the order they were sent, with nothing that names
/// the request: each answer must reach the request it answers, also after one was given up on or failed to go out.
/// </summary>
public sealed class When_global_requests_are_answered
{
    [Fact]
    public void Should_give_each_answer_to_the_oldest_request_waiting()
    {
        var replies = new GlobalRequestReplies();
        var answers = new List<string>();
        replies.Send(() => { }, (ok, port) => answers.Add($"first {ok} {port}"));
        replies.Send(() => { }, (ok, port) => answers.Add($"second {ok} {port}"));

        replies.Answer(true, 41123);
        replies.Answer(false, null);

        Assert.Equal(["first True 41123", "second False "], answers);
    }

    [Fact]
    public void Should_keep_a_request_given_up_on_waiting_for_its_own_answer()
    {
        var replies = new GlobalRequestReplies();
        var late = new List<bool>();
        var next = new List<bool>();
        replies.Send(() => { }, (ok, _) => late.Add(ok));
        replies.Send(() => { }, (ok, _) => next.Add(ok));

        replies.Answer(true, null);

        Assert.Equal([true], late);
        Assert.Empty(next);
    }

    [Fact]
    public void Should_note_nothing_for_a_request_that_did_not_go_out()
    {
        var replies = new GlobalRequestReplies();
        var answered = new List<string>();
        Assert.Throws<IOException>(() => replies.Send(() => throw new IOException("the connection is gone"), (_, _) => answered.Add("failed")));
        replies.Send(() => { }, (_, _) => answered.Add("sent"));

        replies.Answer(true, null);

        Assert.Equal(["sent"], answered);
    }

    [Fact]
    public void Should_drop_an_answer_to_no_request()
    {
        var replies = new GlobalRequestReplies();
        replies.Answer(true, null);
        var answered = new List<bool>();
        replies.Send(() => { }, (ok, _) => answered.Add(ok));

        replies.Answer(false, null);

        Assert.Equal([false], answered);
    }

    [Fact]
    public void Should_note_a_request_before_it_goes_out_so_an_immediate_answer_finds_it()
    {
        var replies = new GlobalRequestReplies();
        var answered = new List<bool>();
        // The peer's answer handled while the request is still being sent (another thread reads it).
        replies.Send(() => Task.Run(() => replies.Answer(true, null)).Wait(), (ok, _) => answered.Add(ok));

        Assert.Equal([true], answered);
    }
}
