namespace Realtime.Grains.Rooms;

/// <summary>What a connection asks of a room.</summary>
public enum RoomAccess
{
    /// <summary>To join it.</summary>
    Join,

    /// <summary>To join it and recover what it missed (<c>since</c>).</summary>
    Recover,

    /// <summary>To publish to it.</summary>
    Publish,

    /// <summary>To see its members.</summary>
    Presence,
}
