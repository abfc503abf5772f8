namespace Realtime.Rooms;

/// <summary>Settings for the rooms of one category (<c>chat</c> in <c>chat:general</c>).</summary>
public sealed class RoomCategoryOptions
{
    /// <summary>Whether rooms of this category push <c>presence</c> join/leave; null follows <see cref="RoomOptions.PresenceEvents"/>.</summary>
    public bool? PresenceEvents { get; set; }
}
