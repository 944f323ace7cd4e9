using System.Net;

namespace Gatehouse.Ssh.PreAuthentication;

/// <summary>
/// The key exchanges of the last <see cref="SshServerOptions.PreAuthKeyExchangeWindow"/> computed for connections that
/// have not signed in, counted per source and per subnet, with the time passed in. Counts, not a list to scan: under a
/// flood from many subnets every decision stays constant-time, and what it holds is bounded by the exchanges admitted.
/// Not thread-safe: the server holds a lock around it.
/// </summary>
internal sealed class PreAuthKeyExchangeLog(SshServerOptions options)
{
    private sealed class Exchange(long connectionId, IPAddress source, IPNetwork subnet, TimeSpan at)
    {
        public long ConnectionId { get; } = connectionId;
        public IPAddress Source { get; } = source;
        public IPNetwork Subnet { get; } = subnet;
        public TimeSpan At { get; } = at;
        public bool Forgiven { get; set; }
    }

    private readonly Queue<Exchange> _byAge = new();
    private readonly Dictionary<IPAddress, int> _bySource = [];
    private readonly Dictionary<IPNetwork, int> _bySubnet = [];
    private readonly Dictionary<long, List<Exchange>> _byConnection = [];

    /// <summary>Exchanges still counted.</summary>
    public int Count => _bySource.Values.Sum();

    /// <summary>Counts the exchange and returns <see cref="PreAuthRefusal.None"/>, or the refusal (then nothing is counted).</summary>
    public PreAuthRefusal Admit(long connectionId, IPAddress source, TimeSpan now)
    {
        Expire(now);
        source = UnauthenticatedAdmission.Normalize(source);
        var subnet = UnauthenticatedAdmission.SubnetOf(source, options);
        var refusal = UnauthenticatedAdmission.DecideKeyExchange(_bySource.GetValueOrDefault(source), _bySubnet.GetValueOrDefault(subnet), options);
        if (refusal != PreAuthRefusal.None) return refusal;

        var exchange = new Exchange(connectionId, source, subnet, now);
        _byAge.Enqueue(exchange);
        _bySource[source] = _bySource.GetValueOrDefault(source) + 1;
        _bySubnet[subnet] = _bySubnet.GetValueOrDefault(subnet) + 1;
        if (!_byConnection.TryGetValue(connectionId, out var ofConnection)) _byConnection[connectionId] = ofConnection = [];
        ofConnection.Add(exchange);
        return PreAuthRefusal.None;
    }

    /// <summary>The connection signed in: its exchanges stop counting, so users connecting often are not held to the rate.</summary>
    public void Forgive(long connectionId)
    {
        if (!_byConnection.Remove(connectionId, out var exchanges)) return;
        foreach (var exchange in exchanges) Uncount(exchange);
    }

    private void Expire(TimeSpan now)
    {
        while (_byAge.TryPeek(out var oldest) && now - oldest.At >= options.PreAuthKeyExchangeWindow)
        {
            _byAge.Dequeue();
            Uncount(oldest);
            if (_byConnection.TryGetValue(oldest.ConnectionId, out var ofConnection) && ofConnection.Remove(oldest) && ofConnection.Count == 0)
            {
                _byConnection.Remove(oldest.ConnectionId);
            }
        }
    }

    private void Uncount(Exchange exchange)
    {
        if (exchange.Forgiven) return;
        exchange.Forgiven = true;
        Decrement(_bySource, exchange.Source);
        Decrement(_bySubnet, exchange.Subnet);
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (counts[key] == 1) counts.Remove(key);
        else counts[key]--;
    }
}
