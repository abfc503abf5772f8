using System.Threading.Channels;

namespace Realtime.Client.Tests;

[Collection(ClientCollection.Name)]
public sealed class ClientTests(ClientFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private static string Room() => $"room:{Guid.NewGuid():N}";

    /// <summary>A new client, connected and in <paramref name="room"/>.</summary>
    private async Task<RealtimeClient> InRoomAsync(string room)
    {
        var client = fixture.NewClient();
        try
        {
            await client.ConnectAsync();
            await client.JoinAsync(room);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task APublishRepeatedWithItsIdempotencyKeyReturnsTheFirstSeqAndBroadcastsOnce()
    {
        var room = TestIds.Room();
        await using var sender = await InRoomAsync(room);
        await using var receiver = await InRoomAsync(room);
        var seen = Channel.CreateUnbounded<string>();
        using var subscription = receiver.On("chat", "message", push => seen.Writer.TryWrite(push.Data.GetProperty("text").GetString()!));

        var first = await sender.PublishAsync(room, "chat", "message", new { text = "once" }, idempotencyKey: "msg-1");
        var again = await sender.PublishAsync(room, "chat", "message", new { text = "twice?" }, idempotencyKey: "msg-1");
        var next = await sender.PublishAsync(room, "chat", "message", new { text = "next" }, idempotencyKey: "msg-2");

        Assert.Equal((1, 1, 2), (first, again, next));
        Assert.Equal("once", await seen.Reader.ReadAsync().AsTask().Within("the first push"));
        Assert.Equal("next", await seen.Reader.ReadAsync().AsTask().Within("the next push"));
        Assert.Equal(2, sender.LastSeq(room));
    }

    [Fact]
    public async Task ConnectsAndRequests()
    {
        await using var client = fixture.NewClient();
        await client.ConnectAsync();

        var sum = await client.RequestAsync<int>("test", "add", new[] { 1, 2, 3 });
        var echo = await client.RequestAsync("system", "ping", new { n = 5 });

        Assert.Equal(RealtimeConnectionState.Connected, client.State);
        Assert.StartsWith("c_", client.ClientId, StringComparison.Ordinal);
        Assert.Equal(6, sum);
        Assert.Equal(5, echo.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task AnErrorReplyThrowsWithItsCode()
    {
        await using var client = fixture.NewClient();
        await client.ConnectAsync();

        var error = await Assert.ThrowsAsync<RealtimeRequestException>(() => client.RequestAsync("nobody", "home"));

        Assert.Equal("UNKNOWN_ROUTE", error.Code);
    }

    [Fact]
    public async Task ARequestThatGetsNoReplyInTimeThrows()
    {
        await using var client = fixture.NewClient(o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        await client.ConnectAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => client.RequestAsync("test", "slow"));
    }

    [Fact]
    public async Task ARequestCanBeCancelled()
    {
        await using var client = fixture.NewClient();
        await client.ConnectAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RequestAsync("test", "slow", cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task RoomPushesArriveInOrderThroughHandlersAndStreams()
    {
        var room = Room();
        await using var sender = fixture.NewClient();
        await using var receiver = fixture.NewClient();
        await sender.ConnectAsync();
        await receiver.ConnectAsync();
        var viaHandler = Channel.CreateUnbounded<long>();
        using var subscription = receiver.On("chat", "message", push => viaHandler.Writer.TryWrite(push.Seq));
        using var streaming = new CancellationTokenSource();
        var viaStream = ReadSeqs(receiver, 20, streaming.Token);
        await sender.JoinAsync(room);
        await receiver.JoinAsync(room);

        for (var i = 1; i <= 20; i++)
        {
            await sender.PublishAsync(room, "chat", "message", new { i });
        }

        var seen = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            seen.Add(await viaHandler.Reader.ReadAsync().AsTask().Within($"push {i + 1} via the handler"));
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seen);
        Assert.Equal(seen, await viaStream.Within("the pushes via the async stream"));
        Assert.Equal(20, receiver.LastSeq(room));
    }

    [Fact]
    public async Task AClientsOwnPublishesWithoutEchoAreNotGapsEvenAfterAReconnect()
    {
        var room = Room();
        await using var alice = await InRoomAsync(room);
        await using var bob = await InRoomAsync(room);
        var seenByAlice = Channel.CreateUnbounded<string>();
        using var subscription = alice.On("chat", "*", push => seenByAlice.Writer.TryWrite(push.Data.GetProperty("who").GetString()!));
        var failures = new List<string>();
        alice.RecoveryFailed += failures.Add;

        // Alice's own pushes are not sent back to her: seqs 1, 3, 5... are hers, 2, 4, 6... Bob's.
        for (var i = 0; i < 10; i++)
        {
            await alice.PublishAsync(room, "chat", "message", new { who = "alice" });
            await bob.PublishAsync(room, "chat", "message", new { who = "bob" });
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("bob", await seenByAlice.Reader.ReadAsync().AsTask().Within($"Bob's push {i + 1}"));
        }

        await alice.PublishAsync(room, "chat", "message", new { who = "alice" });
        Assert.Equal(21, alice.LastSeq(room));

        // After a reconnect, her recovery from seq 21 brings neither her pushes nor Bob's again.
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dropped = false;
        alice.StateChanged += state =>
        {
            dropped |= state == RealtimeConnectionState.Reconnecting;
            if (dropped && state == RealtimeConnectionState.Connected)
            {
                reconnected.TrySetResult();
            }
        };
        await alice.SendAsync("test", "kickme");
        await reconnected.Task.Within("Alice to reconnect");
        await bob.PublishAsync(room, "chat", "message", new { who = "bob after" });

        Assert.Equal("bob after", await seenByAlice.Reader.ReadAsync().AsTask().Within("Bob's push after the reconnect"));
        Assert.Equal(22, alice.LastSeq(room));
        Assert.False(seenByAlice.Reader.TryRead(out var extra), $"unexpected push from {extra}");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task AfterAReconnectTheClientRejoinsAndGetsWhatItMissedInOrder()
    {
        var room = Room();
        await using var sender = fixture.NewClient();
        await using var receiver = fixture.NewClient();
        await sender.ConnectAsync();
        await receiver.ConnectAsync();
        await sender.JoinAsync(room);
        await receiver.JoinAsync(room);
        var received = Channel.CreateUnbounded<long>();
        using var subscription = receiver.On("chat", "*", push => received.Writer.TryWrite(push.Seq));
        var failures = new List<string>();
        receiver.RecoveryFailed += failures.Add;
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.StateChanged += state =>
        {
            if (state == RealtimeConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
            else if (state == RealtimeConnectionState.Connected && reconnecting.Task.IsCompleted)
            {
                reconnected.TrySetResult();
            }
        };
        await sender.PublishAsync(room, "chat", "message", new { i = 1 });
        Assert.Equal(1, await received.Reader.ReadAsync().AsTask().Within("the first push"));
        var firstClientId = receiver.ClientId;

        await receiver.SendAsync("test", "kickme");
        await reconnecting.Task.Within("the receiver to lose its connection");
        for (var i = 2; i <= 10; i++)
        {
            await sender.PublishAsync(room, "chat", "message", new { i });
        }

        await reconnected.Task.Within("the receiver to reconnect");
        for (var i = 11; i <= 15; i++)
        {
            await sender.PublishAsync(room, "chat", "message", new { i });
        }

        var seen = new List<long>();
        for (var i = 2; i <= 15; i++)
        {
            seen.Add(await received.Reader.ReadAsync().AsTask().Within($"push {i} after the reconnect"));
        }

        Assert.NotEqual(firstClientId, receiver.ClientId);
        Assert.Equal(Enumerable.Range(2, 14).Select(i => (long)i), seen);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task MetadataIsSetAgainOnEveryConnectionBeforeRoomsAreRejoined()
    {
        var room = "chat:" + Guid.NewGuid().ToString("N");
        await using var watcher = fixture.NewClient();
        await using var client = fixture.NewClient(o => o.Metadata["name"] = "Ann");
        await watcher.ConnectAsync();
        await client.ConnectAsync();
        await watcher.JoinAsync(room);
        await client.JoinAsync(room);
        await client.SetMetadataAsync("name", "Anna");
        Assert.Equal("Anna", (await watcher.PresenceAsync(room)).Single(m => m.ClientId == client.ClientId).Metadata?["name"]);
        var joins = Channel.CreateUnbounded<PushMessage>();
        using var subscription = watcher.On("presence", "join", push => joins.Writer.TryWrite(push));
        var firstClientId = client.ClientId;

        await client.SendAsync("test", "kickme");

        // The new connection's presence join already carries the name: it was set before the rejoin.
        // (The first connection's own join may still be on its way to the handler: it is not this one.)
        PushMessage join;
        do
        {
            join = await joins.Reader.ReadAsync().AsTask().Within("the new connection's presence join");
        }
        while (join.Data.GetProperty("clientId").GetString() == firstClientId);

        Assert.Equal("Anna", join.Data.GetProperty("metadata").GetProperty("name").GetString());
    }

    private static async Task<List<long>> ReadSeqs(RealtimeClient client, int count, CancellationToken token)
    {
        var seqs = new List<long>();
        await foreach (var push in client.ReadPushesAsync(token))
        {
            if (push.Type == "chat")
            {
                seqs.Add(push.Seq);
                if (seqs.Count == count)
                {
                    break;
                }
            }
        }

        return seqs;
    }
}
