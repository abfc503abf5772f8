namespace Realtime.Grains.Registry;

/// <summary>A gateway's connections, as last written.</summary>
[GenerateSerializer, Alias("realtime.GatewayConnectionsState")]
internal sealed class GatewayConnectionsState
{
    [Id(0)] public HashSet<string> ClientIds { get; set; } = new(StringComparer.Ordinal);
}
