using Orleans.Concurrency;

namespace Realtime.Presence;

/// <summary>
/// One per user, keyed by user id: the user's connections across every gateway, and the sequencer of
/// the user's room <c>user:&lt;userId&gt;</c> (its <see cref="Rooms.IRoomGrain"/>: every connection of the
/// user is a member, so joining it at connect costs the connect nothing more).
/// </summary>
[Alias("realtime.IUserPresenceGrain")]
public interface IUserPresenceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a connection (idempotent); false, and nothing added, when the user already holds the
    /// cluster's <c>Realtime:Presence:MaxConnectionsPerUser</c> connections.
    /// </summary>
    [Alias("AddConnection")]
    Task<bool> AddConnection(UserConnection connection);

    /// <summary>
    /// <see cref="AddConnection"/>, and, when <paramref name="inUserRoom"/>, the connection's join of the
    /// user's room: the seq its pushes follow and the room's epoch.
    /// </summary>
    [Alias("Connect")]
    Task<UserConnectResult> Connect(UserConnection connection, bool inUserRoom);

    /// <summary>Removes a connection; false when it was not known.</summary>
    [Alias("RemoveConnection")]
    Task<bool> RemoveConnection(string clientId);

    /// <summary>The user's connections.</summary>
    [ReadOnly, Alias("GetConnections")]
    Task<UserConnection[]> GetConnections();

    /// <summary>
    /// True while the user counts as online: from its first connection until its last one closed
    /// and the offline grace period (<c>Realtime:Presence:OfflineGracePeriod</c>) ran out with no new
    /// one, so a user who reconnects within the grace period never reads as offline.
    /// </summary>
    [ReadOnly, Alias("IsOnline")]
    Task<bool> IsOnline();
}
