using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>How a connection's frames look on the wire.</summary>
internal enum WireProtocol
{
    /// <summary><c>realtime.v1.json</c> (or no subprotocol): JSON text messages.</summary>
    Json,

    /// <summary><c>realtime.v1.msgpack</c>: MessagePack maps in binary messages.</summary>
    MessagePack,
}

/// <summary>
/// The cluster's frames (JSON, marked when they hold bytes) as each protocol sends them. A push goes
/// to many connections one after another on one thread, so the last frame each thread encoded is kept:
/// a push is encoded once per protocol, not once per connection.
/// </summary>
internal static class WireFrames
{
    /// <summary>The subprotocol to select: the first of the client's offers that this server speaks.</summary>
    public static string? Select(IList<string> offered)
        => offered.FirstOrDefault(static name => name is SystemActions.SubProtocol or SystemActions.MessagePackSubProtocol);

    public static WireProtocol For(string? subProtocol)
        => subProtocol == SystemActions.MessagePackSubProtocol ? WireProtocol.MessagePack : WireProtocol.Json;

    /// <summary><paramref name="frame"/> as <paramref name="protocol"/> sends it.</summary>
    public static byte[] Encode(WireProtocol protocol, byte[] frame)
    {
        if (protocol == WireProtocol.Json)
        {
            return BinaryValues.IsMarked(frame) ? Cached(ref t_plain, frame, static f => BinaryValues.Plain(f).ToArray()) : frame;
        }

        return Cached(ref t_messagePack, frame, static f => MessagePackFrames.FromJson(f));
    }

    private static byte[] Cached(ref Encoded? last, byte[] frame, Func<byte[], byte[]> encode)
    {
        if (last is { } hit && ReferenceEquals(hit.Frame, frame))
        {
            return hit.Bytes;
        }

        var bytes = encode(frame);
        last = new Encoded(frame, bytes);
        return bytes;
    }

    private sealed record Encoded(byte[] Frame, byte[] Bytes);

    [ThreadStatic]
    private static Encoded? t_plain;

    [ThreadStatic]
    private static Encoded? t_messagePack;
}
