using System.Security.Claims;
using Realtime.Protocol;

namespace Realtime.Grains.Rooms;

/// <summary>What an authorizer knows when a connection asks for a room.</summary>
public sealed class RoomAccessContext
{
    internal RoomAccessContext(
        RoomAccess access,
        string roomName,
        string clientId,
        string? userId,
        ClaimsPrincipal user,
        IReadOnlyDictionary<string, string> metadata,
        bool isMember,
        IServiceProvider services)
    {
        Access = access;
        RoomName = roomName;
        ClientId = clientId;
        UserId = userId;
        User = user;
        Metadata = metadata;
        IsMember = isMember;
        Services = services;
    }

    /// <summary>Join, recover, publish or presence.</summary>
    public RoomAccess Access { get; }

    /// <summary>The whole room name, <c>category:id</c>.</summary>
    public string RoomName { get; }

    /// <summary>The part before the first <c>:</c> (empty when there is none).</summary>
    public string Category => field ??= RoomNames.Category(RoomName);

    /// <summary>The part after the category.</summary>
    public string RoomId => field ??= Category.Length == 0 ? RoomName : RoomName[(Category.Length + 1)..];

    /// <summary>The connection asking.</summary>
    public string ClientId { get; }

    /// <summary>Its user, or null when anonymous.</summary>
    public string? UserId { get; }

    /// <summary>The claims of its token (an unauthenticated principal when anonymous).</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>The connection's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Whether the connection is already in the room.</summary>
    public bool IsMember { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services { get; }
}
