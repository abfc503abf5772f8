using Orleans.Concurrency;
using Realtime.Rooms;

namespace Realtime.Connections;

/// <summary>
/// One per connection, keyed by its client id: who it is, where its socket is, its metadata and
/// rooms, and the place where its application frames run their handlers, one at a time and in order.
/// </summary>
[Alias("realtime.IClientGrain")]
public interface IClientGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a new connection and adds it to its user's presence; refused (and forgotten) when
    /// the user already holds the most connections allowed.
    /// </summary>
    [Alias("Connect")]
    Task<ConnectResult> Connect(ClientRegistration registration);

    /// <summary>
    /// The session's socket ended (<paramref name="attachment"/> names it; a stale one changes nothing).
    /// When <paramref name="resumable"/> and a resume window is configured, the session waits that long for
    /// a resume (its rooms, presence and hooks untouched) and the window is returned; otherwise, or after
    /// it, the session ends as with <see cref="Disconnect"/>.
    /// </summary>
    [Alias("Drop")]
    Task<TimeSpan> Drop(long attachment, bool resumable);

    /// <summary>The server disconnects the session: it may not be resumed (its socket's close follows).</summary>
    [AlwaysInterleave, Alias("Revoke")]
    Task Revoke();

    /// <summary>The gateway <paramref name="gatewayId"/> is gone: a session it held drops, as its socket would have (resumable).</summary>
    [Alias("Lost")]
    Task Lost(string gatewayId);

    /// <summary>Ends a dropped session whose window is over (a resumed one, or a newer attachment, is left alone).</summary>
    [Alias("Expire")]
    Task Expire(long attachment);

    /// <summary>Gives the session to a new socket when the request's secret is the session's and its window is open.</summary>
    [Alias("Resume")]
    Task<ResumeResult> Resume(ResumeRequest request);

    /// <summary>Replaces the claims after the client refreshed its token.</summary>
    [Alias("UpdateClaims")]
    Task UpdateClaims(UserClaim[] claims);

    /// <summary>Leaves every room and the user's presence, forgets everything and deactivates.</summary>
    [Alias("Disconnect")]
    Task Disconnect();

    /// <summary>Joins a room (leaving the others when a connection may be in one room only).</summary>
    [Alias("JoinRoom")]
    Task<ClientJoinResult> JoinRoom(ClientJoinRequest request);

    /// <summary>
    /// Leaves a room; leaving a room the connection is not in is not an error. With
    /// <paramref name="byServer"/>, the gateway is told to stop delivering the room.
    /// </summary>
    [Alias("LeaveRoom")]
    Task LeaveRoom(string roomName, bool byServer = false);

    /// <summary>Changes metadata keys from the server (a null value removes the key); the gateway's copy follows.</summary>
    [Alias("UpdateMetadata")]
    Task UpdateMetadata(Dictionary<string, string?> changes);

    /// <summary>
    /// Broadcasts to a room if the room's publish policy lets this connection (transient: no seq, not kept
    /// for recovery; <paramref name="idempotencyKey"/>: a repeat within the room's window broadcasts nothing).
    /// </summary>
    [Alias("Publish")]
    Task<RoomPublishResult> Publish(string roomName, string type, string action, byte[] data, bool echo, bool transient = false, string? idempotencyKey = null);

    /// <summary>The members of a room, if the room's presence policy lets this connection see them.</summary>
    [Alias("GetRoomPresence")]
    Task<RoomPresenceResult> GetRoomPresence(string roomName);

    /// <summary>Sets one metadata key (a null value removes it) and returns the metadata after the change, for the gateway's copy.</summary>
    [Alias("SetMetadata")]
    Task<Realtime.Delivery.ClientMetadataChange> SetMetadata(string key, string? value);

    /// <summary>Runs the handler registered for the message's type and action.</summary>
    [Alias("Handle")]
    Task<HandlerReply> Handle(InboundMessage message);

    /// <summary>The connection's state, or null when it is not connected. Runs beside a busy handler.</summary>
    [AlwaysInterleave, Alias("GetInfo")]
    Task<ClientInfo?> GetInfo();

    /// <summary>
    /// The gateway that holds the socket, or null when not connected. Runs beside a busy handler,
    /// so a handler can push to its own connection.
    /// </summary>
    [AlwaysInterleave, Alias("GetGateway")]
    Task<string?> GetGateway();
}
