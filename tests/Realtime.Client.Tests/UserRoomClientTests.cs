using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Client.Tests;

/// <summary>The .NET client keeps its user's room like any room: what was sent to its user during a drop comes after the reconnect, in order.</summary>
public sealed class UserRoomClientTests
{
    [Fact]
    public async Task PushesToTheUserDuringADropArriveAfterTheReconnectInOrder()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var user = TestIds.User();
        await using var client = new RealtimeClient(new RealtimeClientOptions
        {
            Uri = server.WsUri,
            TokenProvider = _ => ValueTask.FromResult<string?>(Tokens.Create(user)),
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        });
        var received = Channel.CreateUnbounded<(string? Room, long Seq)>();
        using var subscription = client.On("note", "*", push => received.Writer.TryWrite((push.Room, push.Seq)));
        var failures = new List<string>();
        client.RecoveryFailed += failures.Add;
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += state =>
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
        await client.ConnectAsync();
        await realtime.SendToUserAsync(user, "note", "new", new { n = 1 });
        Assert.Equal(("user:" + user, 1L), await received.Reader.ReadAsync().AsTask().Within("the first push to the user"));

        await realtime.DisconnectClientAsync(client.ClientId!, 1001, "dropped by the test");
        await reconnecting.Task.Within("the client to lose its connection");
        for (var n = 2; n <= 5; n++)
        {
            await realtime.SendToUserAsync(user, "note", "new", new { n });
        }

        await reconnected.Task.Within("the client to reconnect");
        await realtime.SendToUserAsync(user, "note", "new", new { n = 6 });

        var seqs = new List<long>();
        for (var n = 2; n <= 6; n++)
        {
            seqs.Add((await received.Reader.ReadAsync().AsTask().Within($"push {n} to the user")).Seq);
        }

        Assert.Equal([2L, 3L, 4L, 5L, 6L], seqs);
        Assert.Empty(failures);
    }
}
