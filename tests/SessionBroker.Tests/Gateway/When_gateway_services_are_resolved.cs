using System.Reflection;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Gateway;

namespace Gatehouse.SessionBroker.Tests.Gateway;

public sealed class When_gateway_services_are_resolved
{
    [Fact]
    public void Should_hold_the_certificate_authority_once()
    {
        // GatewayServices.Ca is the one reference; a service it carries that kept its own could drift from it.
        var holders = typeof(GatewayServices).GetProperties()
            .Where(p => p.PropertyType != typeof(GatehouseCa))
            .Select(p => p.PropertyType)
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(a => a.ParameterType == typeof(GatehouseCa)))
                || t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Any(f => f.FieldType == typeof(GatehouseCa)))
            .Select(t => t.Name)
            .ToList();

        Assert.Empty(holders);
    }
}
