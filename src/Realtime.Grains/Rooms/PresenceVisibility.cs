namespace Realtime.Grains.Rooms;

/// <summary>Who may list the members of the rooms of a category.</summary>
public enum PresenceVisibility
{
    /// <summary>Members of the room (the default).</summary>
    Members,

    /// <summary>Any connection.</summary>
    Anyone,

    /// <summary>No client.</summary>
    Nobody,

    /// <summary>Whoever the category's presence authorizer lets.</summary>
    Authorizer,
}
