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
    /// One push to the members of several rooms, each connection once (a connection in two of the
    /// rooms receives it once). Not sequenced: it carries no <c>room</c> or <c>seq</c>.
    /// </summary>
    Task SendToRoomsAsync(IReadOnlyCollection<string> rooms, RealtimePush push, SendOptions? options = null);

    /// <summary>To every connection of each user, on every gateway.</summary>
    Task SendToUsersAsync(IReadOnlyCollection<string> userIds, RealtimePush push, SendOptions? options = null);

    /// <summary>To one connection.</summary>
    Task SendToClientAsync(string clientId, RealtimePush push);

    /// <summary>To every connection on every gateway.</summary>
    Task SendToAllAsync(RealtimePush push, SendOptions? options = null);
}
