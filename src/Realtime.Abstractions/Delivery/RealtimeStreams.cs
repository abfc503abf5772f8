namespace Realtime.Delivery;

/// <summary>The stream provider and stream ids that carry pushes to gateways.</summary>
public static class RealtimeStreams
{
    /// <summary>The name of the stream provider every silo and gateway configures.</summary>
    public const string ProviderName = "realtime";

    /// <summary>The storage name of the stream pub-sub state.</summary>
    public const string PubSubStorageName = "PubSubStore";

    /// <summary>The stream namespace of gateway streams.</summary>
    public const string GatewayNamespace = "realtime.gateway";

    /// <summary>The stream namespace of custom and lifecycle events: one stream per channel.</summary>
    public const string EventNamespace = "realtime.events";

    /// <summary>The stream of one event channel; the silo's event grain for the channel handles it.</summary>
    public static StreamId ForEventChannel(string channel) => StreamId.Create(EventNamespace, channel);

    /// <summary>The stream a gateway subscribes to: everything that must reach its sockets.</summary>
    public static StreamId ForGateway(string gatewayId) => StreamId.Create(GatewayNamespace, gatewayId);
}
