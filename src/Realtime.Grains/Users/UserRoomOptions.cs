namespace Realtime.Grains.Users;

/// <summary>
/// Every authenticated connection's room of its user, <c>user:&lt;userId&gt;</c>: pushes to a user are
/// that room's broadcasts, sequenced and kept, so a client recovers them as any room's. Section
/// <c>Realtime:Users</c>.
/// </summary>
public sealed class UserRoomOptions
{
    /// <summary>Whether users have rooms (<c>Realtime:Users:Rooms</c>). Off: pushes to a user go to their connections at most once, as before. Default true.</summary>
    public bool Rooms { get; set; } = true;

    /// <summary>The most recent pushes a user's room keeps. Default 1,000.</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>How long a push to a user stays recoverable: longer than a room's, since a user may be offline a while. Default 24 hours.</summary>
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most bytes of pushes one user's room keeps; the oldest go first. Default 1 MiB.</summary>
    public long HistoryMaxBytes { get; set; } = 1024 * 1024;
}
