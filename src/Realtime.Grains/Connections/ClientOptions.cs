namespace Realtime.Grains.Connections;

/// <summary>Rules for connections. Section <c>Realtime:Clients</c>.</summary>
public sealed class ClientOptions
{
    /// <summary>Whether a connection may be in several rooms at once; when false, joining a room leaves the previous one. Default true.</summary>
    public bool ClientCanJoinMultipleRooms { get; set; } = true;

    /// <summary>The most rooms one connection may be in. Default 100.</summary>
    public int MaxRoomsPerClient { get; set; } = 100;
}
