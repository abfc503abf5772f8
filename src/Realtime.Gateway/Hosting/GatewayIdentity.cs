using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Hosting;

/// <summary>This gateway's id in the cluster, fixed for the life of the process.</summary>
public sealed class GatewayIdentity
{
    /// <summary>Takes the configured id, or makes a new random one.</summary>
    public GatewayIdentity(IOptions<RealtimeGatewayOptions> options)
        => Id = string.IsNullOrWhiteSpace(options.Value.GatewayId)
            ? "gw_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))
            : options.Value.GatewayId;

    /// <summary>The gateway id; also the key of the gateway's stream.</summary>
    public string Id { get; }
}
