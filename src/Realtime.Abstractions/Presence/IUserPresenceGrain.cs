using Orleans.Concurrency;

namespace Realtime.Presence;

/// <summary>One per user, keyed by user id: the user's connections across every gateway.</summary>
[Alias("realtime.IUserPresenceGrain")]
public interface IUserPresenceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a connection (idempotent); false, and nothing added, when the user already holds the
    /// cluster's <c>Realtime:Presence:MaxConnectionsPerUser</c> connections.
    /// </summary>
    [Alias("AddConnection")]
    Task<bool> AddConnection(UserConnection connection);

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
