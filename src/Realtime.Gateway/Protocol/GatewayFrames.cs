using System.Text.Json;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Gateway.Protocol;

/// <summary>The frames a gateway writes itself: <c>connected</c>, replies, errors, pings.</summary>
internal static class GatewayFrames
{
    public static readonly byte[] Ping = """{"type":"system","action":"ping"}"""u8.ToArray();

    public static byte[] Connected(string clientId, string? userId, long heartbeatMs)
        => RealtimeJson.Write((clientId, userId, heartbeatMs), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, SystemActions.Type);
            w.WriteString("action"u8, SystemActions.Connected);
            w.WriteStartObject("data"u8);
            w.WriteString("clientId"u8, s.clientId);
            w.WriteString("userId"u8, s.userId);
            w.WriteNumber("heartbeatMs"u8, s.heartbeatMs);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>A successful reply; <paramref name="data"/> is JSON text, omitted when empty.</summary>
    public static byte[] Reply(in InboundFrame frame, ReadOnlyMemory<byte> data)
        => RealtimeJson.Write((frame.Type, frame.Action, frame.Id, data), static (w, s) =>
        {
            WriteReplyStart(w, s.Type, s.Action, s.Id);
            w.WriteBoolean("ok"u8, true);
            if (!s.data.IsEmpty)
            {
                w.WritePropertyName("data"u8);
                w.WriteRawValue(s.data.Span, skipInputValidation: true);
            }

            w.WriteEndObject();
        });

    /// <summary>A successful reply whose data is written by <paramref name="writeData"/>.</summary>
    public static byte[] Reply<TState>(in InboundFrame frame, TState state, Action<Utf8JsonWriter, TState> writeData)
        => RealtimeJson.Write((frame.Type, frame.Action, frame.Id, state, writeData), static (w, s) =>
        {
            WriteReplyStart(w, s.Type, s.Action, s.Id);
            w.WriteBoolean("ok"u8, true);
            w.WritePropertyName("data"u8);
            s.writeData(w, s.state);
            w.WriteEndObject();
        });

    /// <summary>An error: a reply when the frame had an <c>id</c>, else a <c>system</c>/<c>error</c> push.</summary>
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

    /// <summary>The <c>joinRoom</c> reply; <c>missed</c> holds the room's frames as they were sent.</summary>
    public static byte[] JoinReply(in InboundFrame frame, string roomName, RoomJoinResult result)
        => Reply(frame, (roomName, result), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("roomName"u8, s.roomName);
            w.WriteNumber("seq"u8, s.result.Seq);
            w.WriteString("epoch"u8, s.result.Epoch);
            w.WriteBoolean("recovered"u8, s.result.Recovered);
            w.WriteStartArray("missed"u8);
            foreach (var push in s.result.Missed)
            {
                w.WriteRawValue(push, skipInputValidation: true);
            }

            w.WriteEndArray();
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

    /// <summary>The answer to a ping without <c>id</c>: a <c>pong</c> push with the same data.</summary>
    public static byte[] Pong(ReadOnlyMemory<byte> data) => PushFrames.Create(SystemActions.Type, SystemActions.Pong, data);

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
}
