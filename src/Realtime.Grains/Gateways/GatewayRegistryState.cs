namespace Realtime.Gateways;

/// <summary>The gateways with their leases, as written.</summary>
[GenerateSerializer, Alias("realtime.GatewayRegistryState")]
internal sealed class GatewayRegistryState
{
    [Id(0)] public Dictionary<string, GatewayLease> Gateways { get; set; } = new(StringComparer.Ordinal);
}
