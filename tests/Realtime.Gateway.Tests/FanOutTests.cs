using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>Many members, many pushes: every member gets every push, in order, with no gaps.</summary>
public sealed class FanOutTests
{
    [Fact]
    public async Task FiveHundredMembersEachReceiveAThousandPushesInOrder()
    {
        const int members = 500;
        const int pushes = 1000;
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Gateway:RateLimitPerSecond"] = "0" });
        var room = TestIds.Room();

        var receivers = new SeqReceiver[members];
        for (var i = 0; i < members; i += 50)
        {
            var batch = Enumerable.Range(i, Math.Min(50, members - i)).Select(async n => receivers[n] = await SeqReceiver.JoinAsync(server.WsUri, room, pushes));
            await Task.WhenAll(batch);
        }

        await using var publisher = await server.ConnectAsync();
        await publisher.JoinAsync(room);
        var publishes = new List<Task<JsonElement>>(pushes);
        using var window = new SemaphoreSlim(64);
        for (var i = 1; i <= pushes; i++)
        {
            // Pipelined: up to 64 publishes in flight, replies matched by id.
            await window.WaitAsync();
            var publish = publisher.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data = new { i } }, TimeSpan.FromSeconds(60));
            publishes.Add(publish);
            _ = publish.ContinueWith(_ => window.Release(), TaskScheduler.Default);
        }

        await Task.WhenAll(publishes).Within("every publish to be acknowledged", TimeSpan.FromSeconds(60));
        await Task.WhenAll(receivers.Select(r => r.Done)).Within("every member to receive every push", TimeSpan.FromSeconds(120));

        Assert.All(receivers, r => Assert.Equal(Enumerable.Range(1, pushes).Select(n => (long)n), r.Seqs));
        await Task.WhenAll(receivers.Select(r => r.DisposeAsync().AsTask()));
        server.Logs.AssertNoUnexpectedErrors();
    }

    /// <summary>A member that joins a room and records the seq of every push, parsing only that field.</summary>
    private sealed class SeqReceiver : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _expected;
        private Task _loop = Task.CompletedTask;

        private SeqReceiver(int expected) => _expected = expected;

        public List<long> Seqs { get; } = [];

        public Task Done => _done.Task;

        public static async Task<SeqReceiver> JoinAsync(Uri uri, string room, int expected)
        {
            var receiver = new SeqReceiver(expected);
            await receiver._socket.ConnectAsync(uri, CancellationToken.None);
            var buffer = new byte[4096];
            await receiver._socket.ReceiveAsync(buffer, CancellationToken.None);
            await receiver._socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "system", action = "joinRoom", id = "j", data = new { roomName = room } }), WebSocketMessageType.Text, true, CancellationToken.None);
            var reply = await receiver._socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Contains("\"ok\":true", Encoding.UTF8.GetString(buffer, 0, reply.Count), StringComparison.Ordinal);
            receiver._loop = receiver.ReceiveLoop();
            return receiver;
        }

        private async Task ReceiveLoop()
        {
            var buffer = new byte[4096];
            try
            {
                while (Seqs.Count < _expected)
                {
                    var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    if (SeqOf(buffer.AsSpan(0, result.Count)) is { } seq)
                    {
                        Seqs.Add(seq);
                    }
                }
            }
            catch (WebSocketException)
            {
            }

            if (Seqs.Count >= _expected)
            {
                _done.TrySetResult();
            }
            else
            {
                _done.TrySetException(new InvalidOperationException($"The socket closed after {Seqs.Count} pushes."));
            }
        }

        private static long? SeqOf(ReadOnlySpan<byte> frame)
        {
            var reader = new Utf8JsonReader(frame);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    return reader.GetInt64();
                }
            }

            return null;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }

            _socket.Abort();
            await _loop;
            _socket.Dispose();
        }
    }
}
