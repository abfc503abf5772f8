namespace Realtime.Grains.Rooms;

/// <summary>
/// Who may join (and recover) the rooms of a category. A category no policy and no authorizer opens
/// follows <see cref="RoomOptions.Join"/>, which is <see cref="Nobody"/> unless configured: rooms are closed by default.
/// </summary>
public enum JoinPolicy
{
    /// <summary>No client: only the server puts connections in these rooms.</summary>
    Nobody,

    /// <summary>Any connection, anonymous ones included.</summary>
    Anyone,

    /// <summary>Connections with a user (a validated token).</summary>
    Authenticated,

    /// <summary>The user whose id is the room's id (<c>user:42</c> for user 42).</summary>
    Owner,

    /// <summary>Whoever the join authorizer written in code lets.</summary>
    Authorizer,
}
