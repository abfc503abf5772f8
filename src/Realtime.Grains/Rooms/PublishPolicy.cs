namespace Realtime.Grains.Rooms;

/// <summary>Who may publish to the rooms of a category.</summary>
public enum PublishPolicy
{
    /// <summary>Members of the room (the default).</summary>
    Members,

    /// <summary>No client: only the server publishes.</summary>
    Denied,

    /// <summary>Whoever the category's publish authorizer lets, member or not.</summary>
    Authorizer,
}
