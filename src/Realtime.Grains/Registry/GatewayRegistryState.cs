using Realtime.Registry;

namespace Realtime.Grains.Registry;

/// <summary>The gateways with their leases, and the last gateways reaped, as written.</summary>
[GenerateSerializer, Alias("realtime.GatewayRegistryState")]
internal sealed class GatewayRegistryState
{
    [Id(0)] public Dictionary<string, GatewayLease> Gateways { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public List<string> Reaped { get; set; } = [];
}
