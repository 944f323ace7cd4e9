using System.Net;

namespace Gatehouse.Authorization.Decisions;

public static class SourceAddresses
{
    /// <summary>
    /// Whether the address lies in the network, treating an IPv4-mapped IPv6 address (::ffff:10.1.2.3, as a dual-stack
    /// listener reports IPv4 clients) as the IPv4 address it carries.
    /// </summary>
    public static bool IsIn(IPAddress address, IPNetwork network)
    {
        if (network.Contains(address))
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return network.Contains(address.MapToIPv4());
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && network.Contains(address.MapToIPv6());
    }
}
