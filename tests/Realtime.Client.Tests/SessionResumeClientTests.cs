using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Client.Tests;

/// <summary>The .NET client resumes its session after a network drop: the same client id, and every push of its rooms once, in order.</summary>
public sealed class SessionResumeClientTests
{
    [Fact]
    public async Task AfterADropTheClientResumesItsSessionAndItsRoomsCarryOnInOrder()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Clients:ResumeWindow"] = "00:02:00",
        });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var room = TestIds.Room();
        await using var client = new RealtimeClient(new RealtimeClientOptions
        {
            Uri = server.WsUri,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        });
        var received = Channel.CreateUnbounded<long>();
        using var subscription = client.On("t", "n", push => received.Writer.TryWrite(push.Seq));
        var failures = new List<string>();
        client.RecoveryFailed += failures.Add;
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dropped = false;
        client.StateChanged += state =>
        {
            dropped |= state == RealtimeConnectionState.Reconnecting;
            if (dropped && state == RealtimeConnectionState.Connected)
            {
                reconnected.TrySetResult();
            }
        };
        await client.ConnectAsync();
        await client.JoinAsync(room);
        var clientId = client.ClientId;
        await realtime.SendToRoomAsync(room, "t", "n", new { n = 1 });
        Assert.Equal(1, await received.Reader.ReadAsync().AsTask().Within("the first push"));

        Assert.True(server.Cut(clientId!));
        for (var n = 2; n <= 4; n++)
        {
            await realtime.SendToRoomAsync(room, "t", "n", new { n });
        }

        await reconnected.Task.Within("the client to reconnect");
        await realtime.SendToRoomAsync(room, "t", "n", new { n = 5 });
        var seqs = new List<long>();
        for (var n = 2; n <= 5; n++)
        {
            seqs.Add(await received.Reader.ReadAsync().AsTask().Within($"push {n}"));
        }

        Assert.Equal((clientId, true), (client.ClientId, client.Resumed));
        Assert.Equal([2L, 3L, 4L, 5L], seqs);
        Assert.Empty(failures);
        Assert.Equal([clientId], (await realtime.GetRoomMembersAsync(room)).Select(m => m.ClientId));
    }
}
