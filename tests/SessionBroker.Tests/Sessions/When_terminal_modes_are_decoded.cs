using Gatehouse.SessionBroker.Sessions;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public sealed class When_terminal_modes_are_decoded
{
    [Fact]
    public void Should_pass_on_every_mode_up_to_the_end_marker()
    {
        byte[] encoded = [1, 0, 0, 0, 3, 53, 0, 0, 0, 1, 0, 9, 9, 9, 9, 9];

        var modes = TerminalModeDecoder.Decode(encoded);

        Assert.Equal(new Dictionary<TerminalModes, uint> { [TerminalModes.VINTR] = 3, [TerminalModes.ECHO] = 1 }, modes);
    }

    [Fact]
    public void Should_stop_at_an_undefined_opcode_or_a_truncated_entry()
    {
        Assert.Empty(TerminalModeDecoder.Decode([160, 0, 0, 0, 1]));
        Assert.Empty(TerminalModeDecoder.Decode([1, 0, 0]));
    }
}
