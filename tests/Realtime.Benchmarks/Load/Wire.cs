using System.Buffers.Text;
using System.Text;

namespace Realtime.Benchmarks.Load;

/// <summary>What a connection hears, as the load generator needs it.</summary>
internal interface IInbound
{
    void OnReady();

    void OnReply(long id, bool ok);

    /// <summary>A push carrying the publisher's timestamp and the phase it was sent in.</summary>
    void OnPush(long timestamp, int phase);
}

/// <summary>How frames are written and read for one kind of server. The payload is the same for all.</summary>
internal abstract class Wire
{
    /// <summary>Padding that makes a push about the size of a short chat message.</summary>
    protected const string Padding = "the quick brown fox jumps over the lazy dog";

    public abstract string Path { get; }

    public abstract string? SubProtocol { get; }

    /// <summary>The kind of WebSocket message frames travel in.</summary>
    public virtual System.Net.WebSockets.WebSocketMessageType MessageType => System.Net.WebSockets.WebSocketMessageType.Text;

    public virtual byte[]? Handshake => null;

    public abstract byte[] Join(string room, long id);

    public abstract byte[] Publish(string room, long id, long timestamp, int phase);

    public abstract byte[] Ping(long id, long timestamp);

    public abstract byte[] Echo(long id, long timestamp);

    public abstract void Parse(ReadOnlySpan<byte> message, IInbound inbound);

    protected static string Payload(long timestamp, int phase) => $$"""{"t":{{timestamp}},"r":{{phase}},"x":"{{Padding}}"}""";

    /// <summary>Reads the number after <paramref name="key"/> (e.g. <c>"t":</c>), or -1.</summary>
    protected static long NumberAfter(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key)
    {
        var at = message.IndexOf(key);
        if (at < 0)
        {
            return -1;
        }

        var rest = message[(at + key.Length)..];
        if (!rest.IsEmpty && rest[0] == (byte)'"')
        {
            rest = rest[1..];
        }

        return Utf8Parser.TryParse(rest, out long value, out _) ? value : -1;
    }
}

/// <summary>PROTOCOL.md v1: the realtime gateway, and the floor server that speaks the same subset.</summary>
internal sealed class RealtimeWire : Wire
{
    public static readonly RealtimeWire Instance = new();

    public override string Path => "/ws";

    public override string? SubProtocol => "realtime.v1.json";

    public override byte[] Join(string room, long id)
        => Encoding.UTF8.GetBytes($$$"""{"type":"system","action":"joinRoom","id":"{{{id}}}","data":{"roomName":"{{{room}}}"}}""");

    public override byte[] Publish(string room, long id, long timestamp, int phase)
        => Encoding.UTF8.GetBytes($$$"""{"type":"system","action":"publish","id":"{{{id}}}","data":{"roomName":"{{{room}}}","type":"b","action":"m","data":{{{Payload(timestamp, phase)}}}}}""");

    public override byte[] Ping(long id, long timestamp)
        => Encoding.UTF8.GetBytes($$$"""{"type":"system","action":"ping","id":"{{{id}}}","data":{"t":{{{timestamp}}}}}""");

    public override byte[] Echo(long id, long timestamp)
        => Encoding.UTF8.GetBytes($$$"""{"type":"bench","action":"echo","id":"{{{id}}}","data":{"t":{{{timestamp}}}}}""");

    public override void Parse(ReadOnlySpan<byte> message, IInbound inbound)
    {
        var id = NumberAfter(message, "\"id\":"u8);
        if (id >= 0)
        {
            inbound.OnReply(id, message.IndexOf("\"ok\":true"u8) >= 0);
        }
        else if (message.IndexOf("\"t\":"u8) >= 0)
        {
            inbound.OnPush(NumberAfter(message, "\"t\":"u8), (int)NumberAfter(message, "\"r\":"u8));
        }
        else if (message.StartsWith("{\"type\":\"system\",\"action\":\"connected\""u8))
        {
            inbound.OnReady();
        }
    }
}

/// <summary>SignalR's JSON hub protocol over a raw WebSocket (no negotiate), records ended by 0x1e.</summary>
internal sealed class SignalRWire : Wire
{
    private const char End = '\u001e';

    public static readonly SignalRWire Instance = new();

    public override string Path => "/hub";

    public override string? SubProtocol => null;

    public override byte[] Handshake { get; } = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + End);

    public override byte[] Join(string room, long id) => Invoke(id, "Join", $"\"{room}\"");

    public override byte[] Publish(string room, long id, long timestamp, int phase) => Invoke(id, "Publish", $"\"{room}\",{Payload(timestamp, phase)}");

    public override byte[] Ping(long id, long timestamp) => Invoke(id, "Ping", $$"""{"t":{{timestamp}}}""");

    public override byte[] Echo(long id, long timestamp) => Invoke(id, "Echo", $$"""{"t":{{timestamp}}}""");

    public override void Parse(ReadOnlySpan<byte> message, IInbound inbound)
    {
        while (!message.IsEmpty)
        {
            var end = message.IndexOf((byte)End);
            var record = end < 0 ? message : message[..end];
            message = end < 0 ? [] : message[(end + 1)..];
            if (record.StartsWith("{\"type\":1,"u8))
            {
                inbound.OnPush(NumberAfter(record, "\"t\":"u8), (int)NumberAfter(record, "\"r\":"u8));
            }
            else if (record.StartsWith("{\"type\":3,"u8))
            {
                inbound.OnReply(NumberAfter(record, "\"invocationId\":"u8), record.IndexOf("\"error\":"u8) < 0);
            }
            else if (record.SequenceEqual("{}"u8))
            {
                inbound.OnReady();
            }
        }
    }

    private static byte[] Invoke(long id, string target, string arguments)
        => Encoding.UTF8.GetBytes($$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":[{{arguments}}]}""" + End);
}
