using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>The gatehouse CLI against a stack's SessionBroker with the admin token.</summary>
public static class GatehouseCli
{
    public static Task<(int Exit, string Out, string Error)> RunAsync(GatehouseStack stack, params string[] args) =>
        InProcessCli.RunAsync("GATEHOUSE_SESSION_BROKER_URL", stack.BrokerAdmin.BaseAddress!, stack.AdminToken, args);
}
