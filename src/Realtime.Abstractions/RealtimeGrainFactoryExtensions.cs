using System.Runtime.CompilerServices;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Registry;
using Realtime.Presence;
using Realtime.Rooms;

namespace Realtime;

/// <summary>
/// The one place where grain keys are built. The grain references of the per-key grains are made
/// from the grain and interface types found once per factory: resolving them from the interface
/// on every call (what <c>GetGrain&lt;T&gt;</c> does) showed as 3-4% of a gateway's CPU.
/// </summary>
public static class RealtimeGrainFactoryExtensions
{
    /// <summary>The grain of one connection.</summary>
    public static IClientGrain GetClientGrain(this IGrainFactory grains, string clientId)
        => Keyed<IClientGrain>.Get(grains, clientId);

    /// <summary>
    /// The grain of one room. A user's room <c>user:&lt;userId&gt;</c> is the user's presence grain, as a
    /// room: its members are the user's connections, which it knows already.
    /// </summary>
    public static IRoomGrain GetRoomGrain(this IGrainFactory grains, string roomName)
        => Protocol.RoomNames.UserOf(roomName) is { } userId
            ? UserRooms.Get(grains, userId)
            : Keyed<IRoomGrain>.Get(grains, roomName);

    /// <summary>The presence grain of one user.</summary>
    public static IUserPresenceGrain GetUserPresenceGrain(this IGrainFactory grains, string userId)
        => Keyed<IUserPresenceGrain>.Get(grains, userId);

    /// <summary>The cluster's gateway registry.</summary>
    public static IGatewayRegistryGrain GetGatewayRegistry(this IGrainFactory grains)
        => grains.GetGrain<IGatewayRegistryGrain>(0);

    /// <summary>The connections of one gateway.</summary>
    public static IGatewayConnectionsGrain GetGatewayConnections(this IGrainFactory grains, string gatewayId)
        => Keyed<IGatewayConnectionsGrain>.Get(grains, gatewayId);

    /// <summary>The stateless fan-out grain.</summary>
    public static IDeliveryGrain GetDeliveryGrain(this IGrainFactory grains)
        => grains.GetGrain<IDeliveryGrain>(0);

    /// <summary>The presence grains of users, called as the users' rooms.</summary>
    private static class UserRooms
    {
        private static readonly ConditionalWeakTable<IGrainFactory, Types> s_types = [];

        public static IRoomGrain Get(IGrainFactory grains, string userId)
        {
            if (!s_types.TryGetValue(grains, out var types))
            {
                var presence = (GrainReference)(object)grains.GetGrain<IUserPresenceGrain>(userId);
                var room = (GrainReference)(object)grains.GetGrain<IRoomGrain>(userId);
                types = new Types(presence.GrainId.Type, room.InterfaceType);
                s_types.AddOrUpdate(grains, types);
            }

            return (IRoomGrain)grains.GetGrain(GrainId.Create(types.Grain, userId), types.Interface);
        }
    }

    /// <summary>References to the grains of one string-keyed interface, with their types resolved once per factory.</summary>
    private static class Keyed<T>
        where T : IGrainWithStringKey
    {
        private static readonly ConditionalWeakTable<IGrainFactory, Types> s_types = [];

        public static T Get(IGrainFactory grains, string key)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key);
            if (s_types.TryGetValue(grains, out var types))
            {
                return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
            }

            var grain = grains.GetGrain<T>(key);
            if (grain is GrainReference reference)
            {
                s_types.AddOrUpdate(grains, new Types(reference.GrainId.Type, reference.InterfaceType));
            }

            return grain;
        }

    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
