namespace Realtime.Protocol;

/// <summary>The field names of frames and of the built-in actions' data, as <c>docs/protocol.md</c> spells them.</summary>
public static class FrameFields
{
    // The envelope.
    public const string Type = "type";
    public const string Action = "action";
    public const string Id = "id";
    public const string Data = "data";
    public const string Room = "room";
    public const string Seq = "seq";
    public const string From = "from";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Code = "code";

    // Inside data.
    public const string ClientId = "clientId";
    public const string UserId = "userId";
    public const string HeartbeatMs = "heartbeatMs";
    public const string RoomName = "roomName";
    public const string Since = "since";
    public const string Epoch = "epoch";
    public const string Recovered = "recovered";
    public const string Missed = "missed";
    public const string Members = "members";
    public const string Metadata = "metadata";
    public const string Connections = "connections";
    public const string Key = "key";
    public const string Value = "value";
    public const string Echo = "echo";
    public const string Transient = "transient";
    public const string Token = "token";
    public const string ExpiresAt = "expiresAt";
}
