using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Rooms;

namespace Realtime.Gateway.Cluster;

/// <summary>
/// Everything a gateway asks of the cluster, and the one way pushes come back to it. The gateway's
/// logic (sockets, send queues, local rooms, limits) talks to the cluster through this interface
/// only; <see cref="OrleansGatewayCluster"/> is the implementation, and a test replaces it with one
/// registration (<c>services.AddSingleton&lt;IGatewayCluster, ...&gt;()</c>) to run that logic without a silo.
/// </summary>
public interface IGatewayCluster
{
    /// <summary>Registers a new connection (user, gateway, path, claims); refused with a close code and reason.</summary>
    Task<ConnectResult> RegisterAsync(string clientId, ClientRegistration registration);

    /// <summary>Unregisters a connection: it leaves its rooms and its user's presence. Idempotent.</summary>
    Task UnregisterAsync(string clientId);

    /// <summary>The socket holding the session as <paramref name="attachment"/> ended; returns how long the session waits for a resume (zero: it ended).</summary>
    Task<TimeSpan> DropAsync(string clientId, long attachment, bool resumable);

    /// <summary>Ends a dropped session whose resume window is over (nothing, if it was resumed).</summary>
    Task ExpireAsync(string clientId, long attachment);

    /// <summary>Gives a session to a new socket, when the resume token's secret is the session's.</summary>
    Task<ResumeResult> ResumeAsync(string clientId, ResumeRequest request);

    /// <summary>A connection asks to join a room (with <c>since</c>/<c>epoch</c> to recover).</summary>
    Task<ClientJoinResult> JoinRoomAsync(string clientId, ClientJoinRequest request);

    /// <summary>A connection leaves a room; leaving a room it is not in is not an error.</summary>
    Task LeaveRoomAsync(string clientId, string roomName);

    /// <summary>A connection publishes to a room; the cluster checks the room's policy and sequences it.</summary>
    Task<RoomPublishResult> PublishAsync(string clientId, ClientPublish publish);

    /// <summary>A connection asks for a room's members.</summary>
    Task<RoomPresenceResult> GetPresenceAsync(string clientId, string roomName);

    /// <summary>A connection sets one metadata key (null removes it): the connection's metadata after it, with its version.</summary>
    Task<ClientMetadataChange> SetMetadataAsync(string clientId, string key, string? value);

    /// <summary>A connection refreshed its token: these are its claims now.</summary>
    Task UpdateClaimsAsync(string clientId, UserClaim[] claims);

    /// <summary>An application frame for the handler of its type and action.</summary>
    Task<HandlerReply> HandleAsync(string clientId, InboundMessage message);

    /// <summary>The pushes a room still holds after <paramref name="afterSeq"/>, to repair a gap.</summary>
    Task<RoomHistorySlice> GetRoomHistoryAsync(string roomName, long afterSeq);

    /// <summary>Takes or renews the gateway's lease; false when the cluster gave the gateway up (its connections were unregistered).</summary>
    Task<bool> RenewLeaseAsync(string gatewayId, TimeSpan leaseTime);

    /// <summary>Gives the lease back: the gateway is stopping.</summary>
    Task ReleaseLeaseAsync(string gatewayId);

    /// <summary>How many connections the cluster lists for the gateway.</summary>
    Task<int> CountListedConnectionsAsync(string gatewayId);

    /// <summary>Replaces the cluster's list of the gateway's connections with what it holds.</summary>
    Task ListConnectionsAsync(string gatewayId, string[] clientIds);

    /// <summary>How many gateways hold a lease: a call that succeeds only while the cluster answers.</summary>
    Task<int> CountGatewaysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to the gateway's stream: every item that must reach one of its connections is
    /// handed to <paramref name="onMessages"/>, in batches of what arrived together (one batch at a
    /// time), in the order of each producer. Disposing the result unsubscribes.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string gatewayId, Func<IReadOnlyList<GatewayMessage>, Task> onMessages);
}
