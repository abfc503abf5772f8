using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Hosting;

/// <summary>
/// This gateway's id in the cluster: the key of its stream and of its lease. It changes only if the
/// cluster gave the gateway up (its lease ran out) and the gateway registers again.
/// </summary>
public sealed class GatewayIdentity
{
    private readonly string _base;
    private volatile string _id;
    private int _generation;

    /// <summary>Takes the configured id, or makes a new random one.</summary>
    public GatewayIdentity(IOptions<RealtimeGatewayOptions> options)
    {
        _base = string.IsNullOrWhiteSpace(options.Value.GatewayId)
            ? "gw_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))
            : options.Value.GatewayId;
        _id = _base;
    }

    /// <summary>The gateway id.</summary>
    public string Id => _id;

    /// <summary>A new id for a gateway the cluster gave up.</summary>
    internal string Renew() => _id = $"{_base}.{Interlocked.Increment(ref _generation)}";
}
