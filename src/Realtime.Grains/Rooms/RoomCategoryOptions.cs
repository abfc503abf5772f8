namespace Realtime.Grains.Rooms;

/// <summary>Settings for the rooms of one category (<c>chat</c> in <c>chat:general</c>); null follows <see cref="RoomOptions"/>.</summary>
public sealed class RoomCategoryOptions
{
    /// <summary>Whether rooms of this category push <c>presence</c> join/leave.</summary>
    public bool? PresenceEvents { get; set; }

    /// <summary>Who may join and recover (<c>Realtime:Rooms:Categories:&lt;category&gt;:Join</c>); a join authorizer in code runs after it.</summary>
    public JoinPolicy? Join { get; set; }

    /// <summary>Who may publish.</summary>
    public PublishPolicy? Publish { get; set; }

    /// <summary>Who may list the members.</summary>
    public PresenceVisibility? Presence { get; set; }

    /// <summary>The metadata keys of a member that other members see in presence.</summary>
    public string[]? ExposedMetadata { get; set; }
}
