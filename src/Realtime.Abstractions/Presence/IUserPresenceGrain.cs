using Orleans.Concurrency;

namespace Realtime.Presence;

/// <summary>One per user, keyed by user id: the user's connections across every gateway.</summary>
[Alias("realtime.IUserPresenceGrain")]
public interface IUserPresenceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a connection (idempotent); false, and nothing added, when the user already holds
    /// <paramref name="maxConnections"/> connections (0: no limit).
    /// </summary>
    [Alias("AddConnection")]
    Task<bool> AddConnection(UserConnection connection, int maxConnections = 0);

    /// <summary>Removes a connection; false when it was not known.</summary>
    [Alias("RemoveConnection")]
    Task<bool> RemoveConnection(string clientId);

    /// <summary>The user's connections.</summary>
    [ReadOnly, Alias("GetConnections")]
    Task<UserConnection[]> GetConnections();

    /// <summary>True when the user has at least one connection.</summary>
    [ReadOnly, Alias("IsOnline")]
    Task<bool> IsOnline();
}
