using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Realtime.Testing;

/// <summary>
/// A WebSocket spoken byte by byte over a TCP socket, for what a well-behaved client library cannot
/// send (unmasked frames, invalid UTF-8, reserved opcodes) and for seeing exactly how the server
/// ends the connection: a close frame followed by the end of the stream, or a reset.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawWebSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects and upgrades; throws unless the server answers 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri uri)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port).Within("the TCP connection");
        var raw = new RawWebSocket(socket);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await raw._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var one = new byte[1];
            if (await raw._stream.ReadAsync(one).AsTask().Within("the upgrade response") == 0)
            {
                throw new IOException("The server ended the stream during the handshake: " + head);
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            await raw.DisposeAsync();
            throw new IOException("The server did not upgrade: " + head);
        }

        return raw;
    }

    /// <summary>A frame with the given first byte (FIN, RSV, opcode) and payload, masked unless told not to.</summary>
    public async Task SendFrameAsync(byte first, byte[] payload, bool masked = true)
    {
        var frame = new List<byte> { first };
        var maskBit = masked ? (byte)0x80 : (byte)0;
        if (payload.Length < 126)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }

        if (masked)
        {
            var mask = RandomNumberGenerator.GetBytes(4);
            frame.AddRange(mask);
            frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        }
        else
        {
            frame.AddRange(payload);
        }

        await _stream.WriteAsync(frame.ToArray());
    }

    /// <summary>
    /// Reads until the server ends the stream, answering its close frame as a client library does
    /// (a close back, then the end of its own side): the code of that close (null when none came),
    /// and whether the stream ended in a reset rather than an orderly end.
    /// </summary>
    public async Task<(int? CloseCode, bool Reset)> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        var reset = false;
        var answered = false;
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer).AsTask().Within("the server to end the connection", timeout ?? TimeSpan.FromSeconds(15));
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
                if (!answered && CloseCodeIn([.. received]) is { } code)
                {
                    // As a client library does: answer the server's close with the same code, and go.
                    answered = true;
                    await SendFrameAsync(0x88, [(byte)(code >> 8), (byte)code]);
                    _socket.Shutdown(SocketShutdown.Send);
                }
            }
        }
        catch (IOException exception) when (exception.InnerException is SocketException)
        {
            reset = true;
        }

        return (CloseCodeIn(received.ToArray()), reset);
    }

    /// <summary>The code of the first close frame in what the server sent (server frames are not masked).</summary>
    private static int? CloseCodeIn(byte[] bytes)
    {
        var at = 0;
        while (at + 2 <= bytes.Length)
        {
            var opcode = bytes[at] & 0x0F;
            long length = bytes[at + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (at + 4 > bytes.Length)
                {
                    return null;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
                header = 4;
            }
            else if (length == 127)
            {
                if (at + 10 > bytes.Length)
                {
                    return null;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(at + 2));
                header = 10;
            }

            if (at + header + length > bytes.Length)
            {
                return null;
            }

            if (opcode == 0x8)
            {
                return length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + header)) : 1005;
            }

            at += header + (int)length;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
