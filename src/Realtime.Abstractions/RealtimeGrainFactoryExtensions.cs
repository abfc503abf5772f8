using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Registry;
using Realtime.Presence;
using Realtime.Rooms;

namespace Realtime;

/// <summary>The one place where grain keys are built.</summary>
public static class RealtimeGrainFactoryExtensions
{
    /// <summary>The grain of one connection.</summary>
    public static IClientGrain GetClientGrain(this IGrainFactory grains, string clientId)
        => grains.GetGrain<IClientGrain>(clientId);

    /// <summary>The grain of one room.</summary>
    public static IRoomGrain GetRoomGrain(this IGrainFactory grains, string roomName)
        => grains.GetGrain<IRoomGrain>(roomName);

    /// <summary>The presence grain of one user.</summary>
    public static IUserPresenceGrain GetUserPresenceGrain(this IGrainFactory grains, string userId)
        => grains.GetGrain<IUserPresenceGrain>(userId);

    /// <summary>The cluster's gateway registry.</summary>
    public static IGatewayRegistryGrain GetGatewayRegistry(this IGrainFactory grains)
        => grains.GetGrain<IGatewayRegistryGrain>(0);

    /// <summary>The connections of one gateway.</summary>
    public static IGatewayConnectionsGrain GetGatewayConnections(this IGrainFactory grains, string gatewayId)
        => grains.GetGrain<IGatewayConnectionsGrain>(gatewayId);

    /// <summary>The stateless fan-out grain.</summary>
    public static IDeliveryGrain GetDeliveryGrain(this IGrainFactory grains)
        => grains.GetGrain<IDeliveryGrain>(0);
}
