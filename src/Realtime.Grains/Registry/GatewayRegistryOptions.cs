namespace Realtime.Grains.Registry;

/// <summary>How the cluster keeps track of gateways. Section <c>Realtime:Gateways</c>.</summary>
public sealed class GatewayRegistryOptions
{
    /// <summary>How often the registry looks for gateways whose lease ran out. Default 5 s.</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a gateway's connection list is written to storage while it changes. Default 2 s.</summary>
    public TimeSpan IndexFlushInterval { get; set; } = TimeSpan.FromSeconds(2);
}
