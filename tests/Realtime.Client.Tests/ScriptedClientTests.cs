using System.Threading.Channels;

namespace Realtime.Client.Tests;

/// <summary>The client's safety nets, against a scripted peer.</summary>
public sealed class ScriptedClientTests
{
    private const string Room = "room:scripted";

    private static string Push(long seq) => $$"""{"type":"chat","action":"message","data":{"n":{{seq}}},"room":"{{Room}}","seq":{{seq}}}""";

    private static string JoinData(long seq, bool recovered, params long[] missed)
        => "{\"roomName\":\"" + Room + "\",\"seq\":" + seq + ",\"epoch\":\"e1\",\"recovered\":" + (recovered ? "true" : "false")
            + ",\"missed\":[" + string.Join(",", missed.Select(Push)) + "]}";

    private static RealtimeClient Client(Uri uri, Action<RealtimeClientOptions>? configure = null)
    {
        var options = new RealtimeClientOptions { Uri = uri, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        return new RealtimeClient(options);
    }

    private static Task Reply(ScriptedConnection connection, System.Text.Json.JsonElement request, string data)
        => connection.SendAsync($$"""{"type":"system","action":"joinRoom","id":"{{request.GetProperty("id").GetString()}}","ok":true,"data":{{data}}}""");

    [Fact]
    public async Task AGapOnALiveConnectionIsRepairedBeforeWhatFollows()
    {
        var sinceAsked = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync("""{"type":"system","action":"connected","data":{"clientId":"c_1","userId":null,"heartbeatMs":25000}}""");
            var join = await connection.ExpectAsync("joinRoom");
            await Reply(connection, join, JoinData(0, recovered: false));
            await connection.SendAsync(Push(1));
            await connection.SendAsync(Push(2));
            await connection.SendAsync(Push(5));
            var recovery = await connection.ExpectAsync("joinRoom");
            sinceAsked.TrySetResult(recovery.GetProperty("data").GetProperty("since").GetInt64());
            await connection.SendAsync(Push(6));
            await Reply(connection, recovery, JoinData(6, recovered: true, 3, 4, 5, 6));
            await connection.SendAsync(Push(7));
            await connection.HoldAsync();
        });
        await using var client = Client(server.Uri);
        var seqs = Channel.CreateUnbounded<long>();
        using var subscription = client.On("chat", "message", push => seqs.Writer.TryWrite(push.Seq));
        await client.ConnectAsync();

        await client.JoinAsync(Room);

        var seen = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            seen.Add(await seqs.Reader.ReadAsync().AsTask().Within($"push {i + 1}"));
        }

        Assert.Equal(2, await sinceAsked.Task.Within("the recovery request"));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], seen);
    }

    [Fact]
    public async Task AResyncThatCannotBeRecoveredIsReportedByRoom()
    {
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync("""{"type":"system","action":"connected","data":{"clientId":"c_1","userId":null,"heartbeatMs":25000}}""");
            var join = await connection.ExpectAsync("joinRoom");
            await Reply(connection, join, JoinData(3, recovered: false));
            await connection.SendAsync("{\"type\":\"system\",\"action\":\"resync\",\"room\":\"" + Room + "\",\"data\":{\"roomName\":\"" + Room + "\",\"epoch\":\"e1\",\"seq\":9}}");
            var recovery = await connection.ExpectAsync("joinRoom");
            await Reply(connection, recovery, JoinData(9, recovered: false, 8, 9));
            await connection.SendAsync(Push(10));
            await connection.HoldAsync();
        });
        await using var client = Client(server.Uri);
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.RecoveryFailed += room => failed.TrySetResult(room);
        var seqs = Channel.CreateUnbounded<long>();
        using var subscription = client.On("chat", "*", push => seqs.Writer.TryWrite(push.Seq));
        await client.ConnectAsync();

        await client.JoinAsync(Room);

        Assert.Equal(Room, await failed.Task.Within("the recovery failure event"));
        Assert.Equal(8, await seqs.Reader.ReadAsync().AsTask().Within("the first recovered push"));
        Assert.Equal(9, await seqs.Reader.ReadAsync().AsTask().Within("the second recovered push"));
        Assert.Equal(10, await seqs.Reader.ReadAsync().AsTask().Within("the live push"));
    }

    [Fact]
    public async Task ASilentServerIsTreatedAsGoneAndTheClientReconnects()
    {
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync("""{"type":"system","action":"connected","data":{"clientId":"c_1","userId":null,"heartbeatMs":200}}""");
            await connection.HoldAsync();
        });
        await using var client = Client(server.Uri, o => o.HeartbeatTimeout = TimeSpan.FromMilliseconds(200));
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += state =>
        {
            if (state == RealtimeConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };

        await client.ConnectAsync();

        await reconnecting.Task.Within("the client to give up on the silent server");
        await TestWait.Until(() => Task.FromResult(server.Connections >= 2), "a second connection");
    }

    [Fact]
    public async Task WithAHeartbeatIntervalTheClientPingsASilentServerAndStaysWhileItAnswers()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync("""{"type":"system","action":"connected","data":{"clientId":"c_1","userId":null,"heartbeatMs":60000}}""");
            for (var i = 0; i < 3; i++)
            {
                await connection.ExpectAsync("ping");
                await connection.SendAsync("""{"type":"system","action":"pong"}""");
            }

            answered.TrySetResult();
            await connection.HoldAsync();
        });
        await using var client = Client(server.Uri, o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            // Long enough that a busy machine's pause between a ping and its pong is not silence.
            o.HeartbeatTimeout = TimeSpan.FromSeconds(5);
        });
        var reconnecting = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += state =>
        {
            if (state == RealtimeConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult(answered.Task.IsCompleted);
            }
        };

        await client.ConnectAsync();

        // Three pings answered on the first connection kept it up; then silence, and the client gives up on it.
        Assert.True(await reconnecting.Task.Within("the client to give up once the pongs stop"), "the client dropped a connection that answered its pings");
        await TestWait.Until(() => Task.FromResult(server.Connections >= 2), "a second connection");
    }

    [Fact]
    public async Task ARetriedFirstConnectGivesUpAfterTheLastAttemptWhenAttemptsAreLimited()
    {
        var uri = new Uri($"ws://127.0.0.1:{FreePorts.Next()}/ws");
        var attempts = 0;
        await using var client = Client(uri, o =>
        {
            o.RetryFirstConnect = true;
            o.MaxReconnectAttempts = 2;
            o.ConfigureWebSocket = _ => Interlocked.Increment(ref attempts);
        });

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync().Within("the client to give up"));

        Assert.Equal(RealtimeConnectionState.Disconnected, client.State);
        Assert.Equal(3, attempts);
    }
}
