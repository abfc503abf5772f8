using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using MessagePack;

namespace Realtime.Benchmarks.Load;

/// <summary>
/// <c>realtime.v1.msgpack</c>: the realtime wire's frames as MessagePack maps, written and read with
/// MessagePack's own writer and reader. The payload is the same map as the JSON wire's.
/// </summary>
internal sealed class MessagePackWire : Wire
{
    public static readonly MessagePackWire Instance = new();

    public override string Path => "/ws";

    public override string? SubProtocol => "realtime.v1.msgpack";

    public override WebSocketMessageType MessageType => WebSocketMessageType.Binary;

    public override byte[] Join(string room, long id) => Frame("system", "joinRoom", id, (ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(1);
        w.Write("roomName");
        w.Write(room);
    });

    public override byte[] Publish(string room, long id, long timestamp, int phase) => Frame("system", "publish", id, (ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(4);
        w.Write("roomName");
        w.Write(room);
        w.Write("type");
        w.Write("b");
        w.Write("action");
        w.Write("m");
        w.Write("data");
        w.WriteMapHeader(3);
        w.Write("t");
        w.Write(timestamp);
        w.Write("r");
        w.Write(phase);
        w.Write("x");
        w.Write(Padding);
    });

    public override byte[] Ping(long id, long timestamp) => Frame("system", "ping", id, (ref MessagePackWriter w) => Stamp(ref w, timestamp));

    public override byte[] Echo(long id, long timestamp) => Frame("bench", "echo", id, (ref MessagePackWriter w) => Stamp(ref w, timestamp));

    public override void Parse(ReadOnlySpan<byte> message, IInbound inbound)
    {
        // Keys and strings are compared as UTF-8, not decoded: the generator's CPU is the servers' too.
        var reader = new MessagePackReader(message.ToArray());
        long id = -1, timestamp = -1, phase = -1;
        var ok = false;
        var connected = false;
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = Utf8(ref reader);
            if (key.SequenceEqual("id"u8) && reader.NextMessagePackType == MessagePackType.String)
            {
                id = Utf8Parser.TryParse(Utf8(ref reader), out long parsed, out _) ? parsed : -1;
            }
            else if (key.SequenceEqual("ok"u8))
            {
                ok = reader.ReadBoolean();
            }
            else if (key.SequenceEqual("action"u8) && reader.NextMessagePackType == MessagePackType.String)
            {
                connected = Utf8(ref reader).SequenceEqual("connected"u8);
            }
            else if (key.SequenceEqual("data"u8) && reader.NextMessagePackType == MessagePackType.Map)
            {
                var fields = reader.ReadMapHeader();
                for (var j = 0; j < fields; j++)
                {
                    var field = Utf8(ref reader);
                    if (field.SequenceEqual("t"u8) && reader.NextMessagePackType == MessagePackType.Integer)
                    {
                        timestamp = reader.ReadInt64();
                    }
                    else if (field.SequenceEqual("r"u8) && reader.NextMessagePackType == MessagePackType.Integer)
                    {
                        phase = reader.ReadInt64();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (id >= 0)
        {
            inbound.OnReply(id, ok);
        }
        else if (timestamp >= 0)
        {
            inbound.OnPush(timestamp, (int)phase);
        }
        else if (connected)
        {
            inbound.OnReady();
        }
    }

    private static ReadOnlySpan<byte> Utf8(ref MessagePackReader reader)
        => reader.NextMessagePackType == MessagePackType.String && reader.ReadStringSequence() is { IsSingleSegment: true } text ? text.FirstSpan : [];

    private delegate void DataWriter(ref MessagePackWriter writer);

    private static void Stamp(ref MessagePackWriter writer, long timestamp)
    {
        writer.WriteMapHeader(1);
        writer.Write("t");
        writer.Write(timestamp);
    }

    private static byte[] Frame(string type, string action, long id, DataWriter data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("type");
        writer.Write(type);
        writer.Write("action");
        writer.Write(action);
        writer.Write("id");
        writer.Write(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.Write("data");
        data(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
