namespace Realtime.Protocol;

/// <summary>The built-in <c>system</c> type and its actions.</summary>
public static class SystemActions
{
    /// <summary>The frame type of every built-in action.</summary>
    public const string Type = "system";

    /// <summary>The first frame the server sends.</summary>
    public const string Connected = "connected";

    /// <summary>Join a room, optionally recovering from <c>since</c>.</summary>
    public const string JoinRoom = "joinRoom";

    /// <summary>Leave a room.</summary>
    public const string LeaveRoom = "leaveRoom";

    /// <summary>Broadcast to a room.</summary>
    public const string Publish = "publish";

    /// <summary>List a room's members.</summary>
    public const string Presence = "presence";

    /// <summary>Round trip; also the server's heartbeat.</summary>
    public const string Ping = "ping";

    /// <summary>The answer to a ping.</summary>
    public const string Pong = "pong";

    /// <summary>Set one key of the connection's metadata.</summary>
    public const string SetMetadata = "setMetadata";

    /// <summary>Give the session a fresh token before the current one expires (an extension of v1).</summary>
    public const string RefreshToken = "refreshToken";

    /// <summary>Pushes of a room were lost for good: the client should recover with <c>since</c> or reload (an extension of v1).</summary>
    public const string Resync = "resync";

    /// <summary>The server put this connection in a room (an extension of v1).</summary>
    public const string RoomJoined = "roomJoined";

    /// <summary>The server took this connection out of a room (an extension of v1).</summary>
    public const string RoomLeft = "roomLeft";

    /// <summary>A client's answer to a server request (a push that carried <c>rid</c>).</summary>
    public const string Answer = "answer";

    /// <summary>The push that carries an error for a frame without <c>id</c>.</summary>
    public const string Error = "error";

    /// <summary>The type of room presence pushes (<c>join</c>/<c>leave</c>).</summary>
    public const string PresenceType = "presence";

    /// <summary>True for the types only the server may push (<c>system</c>, <c>presence</c>): no client or application publish may use them.</summary>
    public static bool IsReservedType(string? type) => type is Type or PresenceType;

    /// <summary>The subprotocol the server selects when a client offers it.</summary>
    public const string SubProtocol = "realtime.v1.json";

    /// <summary>The MessagePack subprotocol: the same frames as MessagePack maps in binary messages.</summary>
    public const string MessagePackSubProtocol = "realtime.v1.msgpack";
}
