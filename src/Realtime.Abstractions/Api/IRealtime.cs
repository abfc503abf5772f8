namespace Realtime.Api;

/// <summary>
/// Push to connected clients from anywhere: a handler, a grain, or a process that is only an
/// Orleans client. Every send reaches the gateways that hold the recipients as one stream item per
/// gateway; exclusions and metadata filters are applied there.
/// </summary>
public interface IRealtime
{
    /// <summary>
    /// A room broadcast: sequenced, kept in the room's history, received by every member
    /// (with <c>room</c> and <c>seq</c>). Returns the push's seq.
    /// </summary>
    Task<long> SendToRoomAsync(string room, RealtimePush push, SendOptions? options = null);

    /// <summary>
    /// <see cref="SendToRoomAsync"/>, telling also whether the options' <see cref="SendOptions.IdempotencyKey"/>
    /// made it a repeat that broadcast nothing (<see cref="RoomSendResult.Duplicate"/>).
    /// </summary>
    Task<RoomSendResult> SendToRoomWithResultAsync(string room, RealtimePush push, SendOptions? options = null);

    /// <summary>
    /// One push to the members of several rooms, each connection once (a connection in two of the
    /// rooms receives it once). Not sequenced: it carries no <c>room</c> or <c>seq</c>.
    /// </summary>
    Task SendToRoomsAsync(IReadOnlyCollection<string> rooms, RealtimePush push, SendOptions? options = null);

    /// <summary>To every connection of each user, on every gateway.</summary>
    Task SendToUsersAsync(IReadOnlyCollection<string> userIds, RealtimePush push, SendOptions? options = null);

    /// <summary>To one connection.</summary>
    Task SendToClientAsync(string clientId, RealtimePush push, SendOptions? options = null);

    /// <summary>To every connection on every gateway.</summary>
    Task SendToAllAsync(RealtimePush push, SendOptions? options = null);

    /// <summary>To every connection that arrived on the endpoint <paramref name="path"/> (e.g. <c>/ws/chat</c>), on every gateway.</summary>
    Task SendToPathAsync(string path, RealtimePush push, SendOptions? options = null);

    /// <summary>
    /// Puts a connection in a room (no authorizer: the server decides). Its gateway starts
    /// delivering the room's pushes after the join's seq and tells the client with a
    /// <c>system</c>/<c>roomJoined</c> push. Returns the room's last seq.
    /// </summary>
    Task<long> JoinRoomAsync(string clientId, string room);

    /// <summary>Takes a connection out of a room; the client gets a <c>system</c>/<c>roomLeft</c> push.</summary>
    Task LeaveRoomAsync(string clientId, string room);

    /// <summary>
    /// Publishes a custom event: it travels on an Orleans stream and is handled once in the cluster
    /// by every subscriber whose match takes <see cref="Events.RealtimeEvent.Channel"/>, highest priority first.
    /// </summary>
    Task PublishEventAsync(Events.RealtimeEvent realtimeEvent);

    /// <summary>A connection's state (user, gateway, path, metadata, rooms), or null when it is not connected.</summary>
    Task<Connections.ClientInfo?> GetClientAsync(string clientId);

    /// <summary>Changes a connection's metadata (a null value removes the key); delivery filters see the change.</summary>
    Task UpdateClientMetadataAsync(string clientId, IReadOnlyDictionary<string, string?> changes);

    /// <summary>A room's members (connections, users, the metadata their category shows).</summary>
    Task<IReadOnlyList<Rooms.RoomMember>> GetRoomMembersAsync(string room);

    /// <summary>How many connections are in a room.</summary>
    Task<int> GetRoomMemberCountAsync(string room);

    /// <summary>
    /// The pushes a room (or a user's room, <c>user:&lt;id&gt;</c>) still holds after seq <paramref name="since"/>,
    /// oldest first, at most <paramref name="limit"/> (1 to 1,000): page on with the last one's seq.
    /// </summary>
    Task<RoomHistory> GetRoomHistoryAsync(string room, long since = 0, int limit = 100);

    /// <summary>Closes one connection, wherever it is, with a close code (default 1008, "kicked by the server").</summary>
    Task DisconnectClientAsync(string clientId, int closeCode = Protocol.CloseCodes.PolicyViolation, string reason = "disconnected by the server");

    /// <summary>Closes every connection of a user, on every gateway.</summary>
    Task DisconnectUserAsync(string userId, int closeCode = Protocol.CloseCodes.PolicyViolation, string reason = "disconnected by the server");

    /// <summary>True while the user has a connection, or lost its last one less than the offline grace period ago.</summary>
    Task<bool> IsOnlineAsync(string userId);

    /// <summary>The users of the list that are online.</summary>
    Task<IReadOnlyList<string>> GetOnlineUsersAsync(IReadOnlyCollection<string> userIds);

    /// <summary>The user's connections on every gateway.</summary>
    Task<IReadOnlyList<Presence.UserConnection>> GetUserConnectionsAsync(string userId);

    /// <summary>
    /// Asks one connection: sends it <paramref name="request"/> with a <c>rid</c> and returns the data of
    /// its answer (JSON text, empty for none). Throws a <see cref="RealtimeException"/> with the client's
    /// error code, <c>TIMEOUT</c> when no answer came within <paramref name="timeout"/> (default 10 s), or
    /// <c>NOT_CONNECTED</c> when the connection is not there or goes before it answers.
    /// </summary>
    Task<ReadOnlyMemory<byte>> InvokeClientAsync(string clientId, RealtimePush request, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Asks every connection of a user at once; returns each connection's outcome (never throws for one that failed).</summary>
    Task<IReadOnlyList<ClientInvokeOutcome>> InvokeUserAsync(string userId, RealtimePush request, TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
