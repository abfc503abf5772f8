namespace Realtime.Grains.Connections;

/// <summary>Rules for connections. Section <c>Realtime:Clients</c>.</summary>
public sealed class ClientOptions
{
    /// <summary>Whether a connection may be in several rooms at once; when false, joining a room leaves the previous one. Default true.</summary>
    public bool ClientCanJoinMultipleRooms { get; set; } = true;

    /// <summary>The most rooms one connection may be in. Default 100.</summary>
    public int MaxRoomsPerClient { get; set; } = 100;

    /// <summary>
    /// How long a session whose socket dropped waits for a resume (<c>?resume=</c>): its rooms, presence
    /// and hooks wait too. Zero: a drop ends the session at once. Default 2 minutes.
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(2);
}
