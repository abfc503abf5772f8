using System.Text;
using System.Text.Json;
using Realtime.Gateway.Hosting;
using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>How a connection's frames look on the wire.</summary>
internal enum WireProtocol
{
    /// <summary><c>realtime.v1.json</c> (or no subprotocol): JSON text messages.</summary>
    Json,

    /// <summary><c>realtime.v1.msgpack</c>: MessagePack maps in binary messages.</summary>
    MessagePack,

    /// <summary>A raw endpoint taking text: no envelope either way.</summary>
    RawString,

    /// <summary>A raw endpoint taking bytes: no envelope either way.</summary>
    RawBinary,
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

    /// <summary>The protocol of a connection on a raw endpoint of <paramref name="mode"/>, or with <paramref name="subProtocol"/>.</summary>
    public static WireProtocol For(RawEndpointMode? mode, string? subProtocol) => mode switch
    {
        RawEndpointMode.String => WireProtocol.RawString,
        RawEndpointMode.Binary => WireProtocol.RawBinary,
        _ => subProtocol == SystemActions.MessagePackSubProtocol ? WireProtocol.MessagePack : WireProtocol.Json,
    };

    public static bool IsRaw(this WireProtocol protocol) => protocol is WireProtocol.RawString or WireProtocol.RawBinary;

    /// <summary>
    /// <paramref name="frame"/> as <paramref name="protocol"/> sends it, and whether as a binary message;
    /// null when the protocol sends nothing for it (a raw endpoint gets no <c>system</c> or <c>presence</c> frames).
    /// </summary>
    public static byte[]? Encode(WireProtocol protocol, byte[] frame, out bool binary)
    {
        switch (protocol)
        {
            case WireProtocol.Json:
                binary = false;
                return BinaryValues.IsMarked(frame) ? Cached(ref t_plain, frame, static f => new(f, BinaryValues.Plain(f).ToArray(), false)).Bytes : frame;
            case WireProtocol.MessagePack:
                binary = true;
                return Cached(ref t_messagePack, frame, static f => new(f, MessagePackFrames.FromJson(f), true)).Bytes;
            default:
                var raw = Cached(ref t_raw, frame, Raw);
                binary = raw.Binary;
                return raw.Bytes;
        }
    }

    /// <summary>A frame's <c>data</c> alone: bytes as a binary message, a string as its text, anything else as its JSON text.</summary>
    private static Encoded Raw(byte[] frame)
    {
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        if (root.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String && SystemActions.IsReservedType(type.GetString()))
        {
            return new(frame, null, false);
        }

        if (!root.TryGetProperty("data"u8, out var data))
        {
            return new(frame, [], false);
        }

        if (BinaryValues.IsMarked(frame) && BinaryValues.IsWrapper(data, out var base64))
        {
            return new(frame, base64.GetBytesFromBase64(), true);
        }

        if (data.ValueKind == JsonValueKind.String)
        {
            try
            {
                return new(frame, Encoding.UTF8.GetBytes(data.GetString()!), false);
            }
            catch (InvalidOperationException)
            {
                // Not text (a lone surrogate escape came in as JSON): the string as it was written.
                return new(frame, Encoding.UTF8.GetBytes(data.GetRawText()[1..^1]), false);
            }
        }

        var json = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        return new(frame, BinaryValues.IsMarked(frame) ? BinaryValues.Plain(BinaryValues.Marked(json)).ToArray() : json.ToArray(), false);
    }

    private static Encoded Cached(ref Encoded? last, byte[] frame, Func<byte[], Encoded> encode)
    {
        if (last is { } hit && ReferenceEquals(hit.Frame, frame))
        {
            return hit;
        }

        return last = encode(frame);
    }

    private sealed record Encoded(byte[] Frame, byte[]? Bytes, bool Binary);

    [ThreadStatic]
    private static Encoded? t_plain;

    [ThreadStatic]
    private static Encoded? t_messagePack;

    [ThreadStatic]
    private static Encoded? t_raw;
}
