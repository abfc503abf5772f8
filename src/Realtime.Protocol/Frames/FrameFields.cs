namespace Realtime.Protocol;

/// <summary>The field names of frames and of the built-in actions' data, as <c>docs/protocol.md</c> spells them.</summary>
public static class FrameFields
{
    /// <summary><c>type</c>.</summary>
    public const string Type = "type";

    /// <summary><c>action</c>.</summary>
    public const string Action = "action";

    /// <summary><c>id</c>.</summary>
    public const string Id = "id";

    /// <summary><c>data</c>.</summary>
    public const string Data = "data";

    /// <summary><c>room</c>.</summary>
    public const string Room = "room";

    /// <summary><c>seq</c>.</summary>
    public const string Seq = "seq";

    /// <summary><c>from</c>.</summary>
    public const string From = "from";

    /// <summary><c>ok</c>.</summary>
    public const string Ok = "ok";

    /// <summary><c>error</c>.</summary>
    public const string Error = "error";

    /// <summary><c>code</c>.</summary>
    public const string Code = "code";

    /// <summary><c>clientId</c>.</summary>
    public const string ClientId = "clientId";

    /// <summary><c>userId</c>.</summary>
    public const string UserId = "userId";

    /// <summary><c>heartbeatMs</c>.</summary>
    public const string HeartbeatMs = "heartbeatMs";

    /// <summary><c>roomName</c>.</summary>
    public const string RoomName = "roomName";

    /// <summary><c>since</c>.</summary>
    public const string Since = "since";

    /// <summary><c>epoch</c>.</summary>
    public const string Epoch = "epoch";

    /// <summary><c>recovered</c>.</summary>
    public const string Recovered = "recovered";

    /// <summary><c>missed</c>.</summary>
    public const string Missed = "missed";

    /// <summary><c>members</c>.</summary>
    public const string Members = "members";

    /// <summary><c>metadata</c>.</summary>
    public const string Metadata = "metadata";

    /// <summary><c>connections</c>.</summary>
    public const string Connections = "connections";

    /// <summary><c>key</c>.</summary>
    public const string Key = "key";

    /// <summary><c>value</c>.</summary>
    public const string Value = "value";

    /// <summary><c>echo</c>.</summary>
    public const string Echo = "echo";

    /// <summary><c>transient</c>.</summary>
    public const string Transient = "transient";

    /// <summary><c>publish</c>: the key that makes a repeat broadcast nothing.</summary>
    public const string IdempotencyKey = "idempotencyKey";

    /// <summary><c>token</c>.</summary>
    public const string Token = "token";

    /// <summary><c>expiresAt</c>.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>A server request's id: the push asks for an answer (<c>system</c>/<c>answer</c>) that carries it.</summary>
    public const string Rid = "rid";

    /// <summary>In <c>connected</c>: whether the connection resumed an earlier session.</summary>
    public const string Resumed = "resumed";

    /// <summary>In <c>connected</c>: the secret a reconnect sends as <c>?resume=</c> to get the session back.</summary>
    public const string ResumeToken = "resumeToken";
}
