using Gatehouse.SessionBroker;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>The real SessionBroker in the stack's schema, its logs captured for the tests that look for secrets in them.</summary>
public sealed class BrokerFactory(string schema, IDictionary<string, string?> overrides, CapturedLog log)
    : ServiceFactory<GatewaySettings>("session-broker", schema, overrides)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => CapturedLog.AddTo(logging, log));
    }
}
