using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>Builds push frames once, as the bytes every recipient receives.</summary>
public static class PushFrames
{
    /// <summary>
    /// <c>{"type","action","data","room","seq","from"}</c>; <paramref name="data"/> is JSON text
    /// (already validated), <paramref name="room"/> and <paramref name="seq"/> only for room broadcasts.
    /// </summary>
    public static byte[] Create(string type, string action, ReadOnlyMemory<byte> data, string? room = null, long seq = 0, MessageSender? from = null)
        => RealtimeJson.Write((type, action, data, room, seq, from), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, s.type);
            w.WriteString("action"u8, s.action);
            if (!s.data.IsEmpty)
            {
                w.WritePropertyName("data"u8);
                w.WriteRawValue(s.data.Span, skipInputValidation: true);
            }

            if (s.room is not null)
            {
                w.WriteString("room"u8, s.room);
                if (s.seq > 0)
                {
                    w.WriteNumber("seq"u8, s.seq);
                }
            }

            if (s.from is not null)
            {
                WriteSender(w, s.from);
            }

            w.WriteEndObject();
        });

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
            if (s.metadata is { Count: > 0 })
            {
                WriteMetadata(w, s.metadata);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>The <c>type</c> and <c>action</c> of a push frame.</summary>
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

    /// <summary>Writes <c>"metadata":{...}</c>.</summary>
    public static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        writer.WriteStartObject("metadata"u8);
        foreach (var (key, value) in metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    internal static void WriteSender(Utf8JsonWriter writer, MessageSender from)
    {
        writer.WriteStartObject("from"u8);
        writer.WriteString("clientId"u8, from.ClientId);
        writer.WriteString("userId"u8, from.UserId);
        writer.WriteEndObject();
    }
}
