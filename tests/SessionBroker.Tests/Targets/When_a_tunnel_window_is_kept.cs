using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Targets;

/// <summary>The window a tunnel gives the target reopens only as the client takes bytes, so what the gateway holds stays bounded.</summary>
public sealed class When_a_tunnel_window_is_kept
{
    private const uint Size = 2 * 1024 * 1024;
    private const int Packet = 32 * 1024;

    [Fact]
    public void Should_refuse_what_the_target_sends_past_its_window_while_the_client_takes_nothing()
    {
        var window = new TunnelWindow(Size);
        var packets = 0;
        while (window.Received(Packet))
        {
            packets++;
            Assert.True(window.Buffered <= Size);
        }

        Assert.Equal((int)(Size / Packet), packets);
    }

    [Fact]
    public void Should_grant_back_exactly_what_the_client_took_once_it_is_worth_a_message()
    {
        var window = new TunnelWindow(Size);
        Assert.True(window.Received((int)Size));

        Assert.Equal(0u, window.Taken((int)window.GrantThreshold - 1));
        Assert.False(window.Received(1));
        Assert.Equal(window.GrantThreshold, window.Taken(1));

        Assert.True(window.Received((int)window.GrantThreshold));
        Assert.False(window.Received(1));
        Assert.Equal(Size, (uint)window.Buffered);
    }

    [Fact]
    public void Should_hold_no_more_than_the_window_through_a_long_tunnel_whatever_the_pace_of_each_side()
    {
        var window = new TunnelWindow(Size);
        var random = new Random(18);
        long received = 0, taken = 0, granted = 0;
        for (var step = 0; step < 100_000; step++)
        {
            if (random.Next(3) > 0)
            {
                var count = random.Next(1, Packet + 1);
                // A target keeping to the protocol sends only inside what it was granted, and waits otherwise.
                if (received + count <= Size + granted)
                {
                    Assert.True(window.Received(count));
                    received += count;
                }
            }
            else if (received > taken)
            {
                var count = (int)Math.Min(received - taken, random.Next(1, 64 * 1024));
                granted += window.Taken(count);
                taken += count;
            }

            Assert.InRange(window.Buffered, 0, Size);
            Assert.Equal(received - taken, window.Buffered);
        }

        Assert.True(granted > 10L * Size);
    }
}
