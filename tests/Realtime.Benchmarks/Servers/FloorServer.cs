using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Realtime.Benchmarks.Servers;

/// <summary>
/// The floor: raw Kestrel WebSockets and an in-memory room map. A broadcast is serialised once and
/// the same bytes are queued to every member; one writer per socket. It speaks the subset of
/// PROTOCOL.md the load generator uses (connected, joinRoom, publish, ping, bench/echo), so the
/// same client code measures it and the realtime gateway.
/// </summary>
internal static class FloorServer
{
    public static async Task RunAsync(string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var rooms = new ConcurrentDictionary<string, Room>(StringComparer.Ordinal);
        var nextId = 0L;
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync("realtime.v1.json");
            var peer = new Peer(socket, "f" + Interlocked.Increment(ref nextId));
            var writing = peer.WriteLoop();
            peer.Send(JsonSerializer.SerializeToUtf8Bytes(new { type = "system", action = "connected", data = new { clientId = peer.Id, userId = (string?)null, heartbeatMs = 25000 } }));
            try
            {
                await ReceiveLoop(peer, rooms);
            }
            finally
            {
                foreach (var room in peer.Rooms)
                {
                    room.Remove(peer);
                }

                peer.Outbox.Writer.TryComplete();
                await writing;
            }
        });
        await app.StartAsync();
        Console.WriteLine("floor ready");
        await app.WaitForShutdownAsync();
    }

    private static async Task ReceiveLoop(Peer peer, ConcurrentDictionary<string, Room> rooms)
    {
        while (true)
        {
            // Nothing is held while a socket is idle: wait with an empty buffer, then read into a pooled one.
            var wait = await peer.Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (wait.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await peer.Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Handle(peer, buffer.AsMemory(0, length), rooms);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void Handle(Peer peer, ReadOnlyMemory<byte> frame, ConcurrentDictionary<string, Room> rooms)
    {
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var action = root.GetProperty("action").GetString();
        var id = root.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        var data = root.TryGetProperty("data", out var dataElement) ? dataElement : default;
        switch ((type, action))
        {
            case ("system", "joinRoom"):
                var name = data.GetProperty("roomName").GetString()!;
                var joined = rooms.GetOrAdd(name, n => new Room(n));
                joined.Add(peer);
                peer.Rooms.Add(joined);
                Reply(peer, type, action, id, new { roomName = name, seq = joined.Seq, epoch = "floor", recovered = false, missed = Array.Empty<object>() });
                break;
            case ("system", "publish"):
                var room = rooms.GetValueOrDefault(data.GetProperty("roomName").GetString()!);
                var seq = room?.Broadcast(peer, data) ?? 0;
                Reply(peer, type, action, id, new { seq });
                break;
            case ("system", "ping"):
            case ("bench", "echo"):
                Reply(peer, type, action, id, data.ValueKind == JsonValueKind.Undefined ? null : data);
                break;
            default:
                Reply(peer, type, action, id, null);
                break;
        }
    }

    private static void Reply(Peer peer, string? type, string? action, string? id, object? data)
    {
        if (id is not null)
        {
            peer.Send(JsonSerializer.SerializeToUtf8Bytes(new { type, action, id, ok = true, data }));
        }
    }

    private sealed class Peer(WebSocket socket, string id)
    {
        public WebSocket Socket { get; } = socket;

        public string Id { get; } = id;

        public List<Room> Rooms { get; } = [];

        public Channel<byte[]> Outbox { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public void Send(byte[] frame) => Outbox.Writer.TryWrite(frame);

        public async Task WriteLoop()
        {
            try
            {
                await foreach (var frame in Outbox.Reader.ReadAllAsync())
                {
                    await Socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
            }
        }
    }

    private sealed class Room(string name)
    {
        private readonly Lock _lock = new();
        private Peer[] _members = [];

        public long Seq { get; private set; }

        public void Add(Peer peer)
        {
            lock (_lock)
            {
                _members = [.. _members, peer];
            }
        }

        public void Remove(Peer peer)
        {
            lock (_lock)
            {
                _members = [.. _members.Where(m => m != peer)];
            }
        }

        /// <summary>One serialisation, the same bytes to every member but the sender.</summary>
        public long Broadcast(Peer sender, JsonElement data)
        {
            Peer[] members;
            byte[] frame;
            long seq;
            lock (_lock)
            {
                seq = ++Seq;
                members = _members;
                frame = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    type = data.GetProperty("type").GetString(),
                    action = data.GetProperty("action").GetString(),
                    data = data.GetProperty("data"),
                    room = name,
                    seq,
                    from = new { clientId = sender.Id, userId = (string?)null },
                });
            }

            foreach (var member in members)
            {
                if (member != sender)
                {
                    member.Send(frame);
                }
            }

            return seq;
        }
    }
}
