namespace Realtime.Grains.Presence;

/// <summary>
/// Application code told when a user comes online (first connection on any gateway) and goes
/// offline (last connection closed and the grace period passed, or its gateway died). Runs in the
/// silo, in the user's presence grain: one user's hooks never overlap.
/// </summary>
public interface IPresenceHooks
{
    /// <summary>The user's first connection opened.</summary>
    Task OnOnlineAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user's last connection closed and stayed closed for the grace period.</summary>
    Task OnOfflineAsync(string userId, CancellationToken cancellationToken);
}
