using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>
/// Every frame a server writes, as the bytes a client receives: pushes (built once and sent to
/// every recipient), replies, errors, and the <c>system</c> frames of <c>docs/protocol.md</c>.
/// </summary>
public static class ServerFrames
{
    /// <summary><c>{"type":"system","action":"ping"}</c>: the server's heartbeat.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = """{"type":"system","action":"ping"}"""u8.ToArray();

    /// <summary>
    /// A push: <c>{"type","action","data","room","seq","from"}</c>. <paramref name="data"/> is JSON text
    /// (already validated), omitted when empty; <paramref name="room"/> and <paramref name="seq"/> only
    /// for room broadcasts; <c>from</c> only when <paramref name="fromClientId"/> is given.
    /// </summary>
    public static byte[] Push(string type, string action, ReadOnlyMemory<byte> data, string? room = null, long seq = 0, string? fromClientId = null, string? fromUserId = null)
        => MarkedIf(BinaryValues.IsMarked(data.Span), RealtimeJson.Write((type, action, data, room, seq, fromClientId, fromUserId), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, s.type);
            w.WriteString("action"u8, s.action);
            WriteRawData(w, s.data);
            if (s.room is not null)
            {
                w.WriteString("room"u8, s.room);
                if (s.seq > 0)
                {
                    w.WriteNumber("seq"u8, s.seq);
                }
            }

            if (s.fromClientId is not null)
            {
                w.WriteStartObject("from"u8);
                w.WriteString("clientId"u8, s.fromClientId);
                w.WriteString("userId"u8, s.fromUserId);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }));

    /// <summary>A server request: a push with <c>rid</c>, which the client answers with <c>system</c>/<c>answer</c>.</summary>
    public static byte[] Request(string type, string action, ReadOnlyMemory<byte> data, string rid)
        => MarkedIf(BinaryValues.IsMarked(data.Span), RealtimeJson.Write((type, action, data, rid), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, s.type);
            w.WriteString("action"u8, s.action);
            WriteRawData(w, s.data);
            w.WriteString("rid"u8, s.rid);
            w.WriteEndObject();
        }));

    /// <summary>
    /// A room presence push: <c>{"type":"presence","action":"join"|"update"|"leave","room","data":{"clientId","userId","connections","metadata"}}</c>.
    /// <c>connections</c> lists the user's connections in the room after the change; <c>metadata</c> the keys the room shows.
    /// </summary>
    public static byte[] Presence(string action, string room, string clientId, string? userId, IReadOnlyList<string> connections, IReadOnlyDictionary<string, string>? metadata)
        => RealtimeJson.Write((action, room, clientId, userId, connections, metadata), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, SystemActions.PresenceType);
            w.WriteString("action"u8, s.action);
            w.WriteString("room"u8, s.room);
            w.WriteStartObject("data"u8);
            w.WriteString("clientId"u8, s.clientId);
            w.WriteString("userId"u8, s.userId);
            w.WriteStartArray("connections"u8);
            foreach (var connection in s.connections)
            {
                w.WriteStringValue(connection);
            }

            w.WriteEndArray();
            WriteMetadata(w, s.metadata);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// <c>{"type":"system","action":"connected","data":{"clientId","userId","heartbeatMs","resumed","resumeToken"}}</c>:
    /// the first frame of a connection (<c>resumeToken</c> only when the session can be resumed).
    /// </summary>
    public static byte[] Connected(string clientId, string? userId, long heartbeatMs, bool resumed = false, string? resumeToken = null)
        => RealtimeJson.Write((clientId, userId, heartbeatMs, resumed, resumeToken), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, SystemActions.Type);
            w.WriteString("action"u8, SystemActions.Connected);
            w.WriteStartObject("data"u8);
            w.WriteString("clientId"u8, s.clientId);
            w.WriteString("userId"u8, s.userId);
            w.WriteNumber("heartbeatMs"u8, s.heartbeatMs);
            w.WriteBoolean("resumed"u8, s.resumed);
            if (s.resumeToken is not null)
            {
                w.WriteString("resumeToken"u8, s.resumeToken);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>A successful reply to <paramref name="frame"/>; <paramref name="data"/> is JSON text, omitted when empty.</summary>
    public static byte[] Reply(in InboundFrame frame, ReadOnlyMemory<byte> data)
        => MarkedIf(BinaryValues.IsMarked(data.Span), RealtimeJson.Write((frame.Type, frame.Action, frame.Id, data), static (w, s) =>
        {
            WriteReplyStart(w, s.Type, s.Action, s.Id);
            w.WriteBoolean("ok"u8, true);
            WriteRawData(w, s.data);
            w.WriteEndObject();
        }));

    /// <summary>An error: a reply when <paramref name="frame"/> had an <c>id</c>, else a <c>system</c>/<c>error</c> push.</summary>
    public static byte[] Error(in InboundFrame frame, string code, string message)
        => RealtimeJson.Write((frame.Type, frame.Action, frame.Id, code, message), static (w, s) =>
        {
            if (s.Id.IsEmpty)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, SystemActions.Type);
                w.WriteString("action"u8, SystemActions.Error);
            }
            else
            {
                WriteReplyStart(w, s.Type, s.Action, s.Id);
            }

            w.WriteBoolean("ok"u8, false);
            w.WriteString("error"u8, s.message);
            w.WriteString("code"u8, s.code);
            w.WriteEndObject();
        });

    /// <summary>An error for a frame that could not be read at all.</summary>
    public static byte[] Error(string code, string message) => Error(default(InboundFrame), code, message);

    /// <summary>
    /// The <c>joinRoom</c> reply, <c>{"roomName","seq","epoch","recovered","missed"}</c>; <paramref name="missed"/>
    /// holds the room's frames as they were sent.
    /// </summary>
    public static byte[] JoinReply(in InboundFrame frame, string roomName, long seq, string epoch, bool recovered, IReadOnlyList<byte[]> missed)
        => MarkedIf(missed.Any(static push => BinaryValues.IsMarked(push)), Reply(frame, (roomName, seq, epoch, recovered, missed), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("roomName"u8, s.roomName);
            w.WriteNumber("seq"u8, s.seq);
            w.WriteString("epoch"u8, s.epoch);
            w.WriteBoolean("recovered"u8, s.recovered);
            w.WriteStartArray("missed"u8);
            foreach (var push in s.missed)
            {
                w.WriteRawValue(push, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));

    /// <summary>The <c>leaveRoom</c> reply, <c>{"roomName"}</c>.</summary>
    public static byte[] LeaveReply(in InboundFrame frame, string roomName)
        => Reply(frame, roomName, static (w, name) =>
        {
            w.WriteStartObject();
            w.WriteString("roomName"u8, name);
            w.WriteEndObject();
        });

    /// <summary>
    /// The <c>publish</c> reply, <c>{"seq"}</c>, with <c>"duplicate":true</c> when an idempotency key made it a
    /// repeat; a transient broadcast has no seq and replies <c>{}</c>.
    /// </summary>
    public static byte[] PublishReply(in InboundFrame frame, long seq, bool duplicate = false)
        => Reply(frame, (seq, duplicate), static (w, reply) =>
        {
            w.WriteStartObject();
            if (reply.seq > 0)
            {
                w.WriteNumber("seq"u8, reply.seq);
            }

            if (reply.duplicate)
            {
                w.WriteBoolean("duplicate"u8, true);
            }

            w.WriteEndObject();
        });

    /// <summary>The <c>presence</c> reply, <c>{"members":[{"clientId","userId","metadata"}]}</c>.</summary>
    public static byte[] PresenceReply(in InboundFrame frame, IReadOnlyList<(string ClientId, string? UserId, IReadOnlyDictionary<string, string>? Metadata)> members)
        => Reply(frame, members, static (w, list) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("members"u8);
            foreach (var member in list)
            {
                w.WriteStartObject();
                w.WriteString("clientId"u8, member.ClientId);
                w.WriteString("userId"u8, member.UserId);
                WriteMetadata(w, member.Metadata);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>The <c>refreshToken</c> reply, <c>{"expiresAt"}</c> in Unix seconds when the token expires.</summary>
    public static byte[] RefreshReply(in InboundFrame frame, DateTimeOffset? expiresAt)
        => Reply(frame, expiresAt, static (w, expires) =>
        {
            w.WriteStartObject();
            if (expires is { } at)
            {
                w.WriteNumber("expiresAt"u8, at.ToUnixTimeSeconds());
            }

            w.WriteEndObject();
        });

    /// <summary>
    /// <c>{"type":"system","action":"resync","room","data":{"roomName","seq","epoch"}}</c>: pushes of the
    /// room were lost for good; recover with <c>since</c> (or reload the room's state).
    /// </summary>
    public static byte[] Resync(string room, string epoch, long seq) => RoomSystemPush(SystemActions.Resync, room, (seq, epoch));

    /// <summary><c>{"type":"system","action":"roomJoined","room","data":{"roomName","seq","epoch"}}</c>: the server put the connection in a room.</summary>
    public static byte[] RoomJoined(string room, long seq, string epoch) => RoomSystemPush(SystemActions.RoomJoined, room, (seq, epoch));

    /// <summary><c>{"type":"system","action":"roomLeft","room","data":{"roomName"}}</c>: the server took the connection out of a room.</summary>
    public static byte[] RoomLeft(string room) => RoomSystemPush(SystemActions.RoomLeft, room, null);

    /// <summary>The answer to a ping without <c>id</c>: a <c>pong</c> push with the same data.</summary>
    public static byte[] Pong(ReadOnlyMemory<byte> data) => Push(SystemActions.Type, SystemActions.Pong, data);

    /// <summary>The <c>type</c> and <c>action</c> of a frame this class wrote.</summary>
    public static (string Type, string Action) TypeAndAction(ReadOnlySpan<byte> frame)
    {
        string type = "", action = "";
        var reader = new Utf8JsonReader(frame);
        while (reader.Read() && (type.Length == 0 || action.Length == 0))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isAction = reader.ValueTextEquals("action"u8);
                reader.Read();
                if (isType)
                {
                    type = reader.GetString() ?? "";
                }
                else if (isAction)
                {
                    action = reader.GetString() ?? "";
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return (type, action);
    }

    /// <summary>A successful reply whose data is written by <paramref name="writeData"/>.</summary>
    private static byte[] Reply<TState>(in InboundFrame frame, TState state, Action<Utf8JsonWriter, TState> writeData)
        => RealtimeJson.Write((frame.Type, frame.Action, frame.Id, state, writeData), static (w, s) =>
        {
            WriteReplyStart(w, s.Type, s.Action, s.Id);
            w.WriteBoolean("ok"u8, true);
            w.WritePropertyName("data"u8);
            s.writeData(w, s.state);
            w.WriteEndObject();
        });

    /// <summary>A <c>system</c> push about a room: its name, and the room's position when given.</summary>
    private static byte[] RoomSystemPush(string action, string room, (long Seq, string Epoch)? position)
        => RealtimeJson.Write((action, room, position), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, SystemActions.Type);
            w.WriteString("action"u8, s.action);
            w.WriteString("room"u8, s.room);
            w.WriteStartObject("data"u8);
            w.WriteString("roomName"u8, s.room);
            if (s.position is { } position)
            {
                w.WriteNumber("seq"u8, position.Seq);
                w.WriteString("epoch"u8, position.Epoch);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static void WriteReplyStart(Utf8JsonWriter writer, string? type, string? action, ReadOnlyMemory<byte> id)
    {
        writer.WriteStartObject();
        if (type is not null)
        {
            writer.WriteString("type"u8, type);
        }

        if (action is not null)
        {
            writer.WriteString("action"u8, action);
        }

        writer.WritePropertyName("id"u8);
        writer.WriteRawValue(id.Span, skipInputValidation: true);
    }

    /// <summary>A frame that embeds marked JSON (bytes) is marked itself (see <see cref="BinaryValues"/>).</summary>
    private static byte[] MarkedIf(bool marked, byte[] frame) => marked ? BinaryValues.Marked(frame) : frame;

    private static void WriteRawData(Utf8JsonWriter writer, ReadOnlyMemory<byte> data)
    {
        if (!data.IsEmpty)
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data.Span, skipInputValidation: true);
        }
    }

    /// <summary><c>"metadata":{...}</c>, left out when there is none.</summary>
    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartObject("metadata"u8);
        foreach (var (key, value) in metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}
