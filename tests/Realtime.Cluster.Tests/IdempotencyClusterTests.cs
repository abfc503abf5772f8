using Realtime.Api;

namespace Realtime.Cluster.Tests;

/// <summary>Idempotency keys kept in Redis with the room: a repeat after the room moved to another silo is still a duplicate.</summary>
public sealed class IdempotencyClusterTests
{
    [Fact]
    public async Task ARepeatAfterEverySiloRestartedIsStillADuplicate()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 1);
        var room = TestIds.Room();
        await using var client = await WsClient.ConnectAsync(cluster.Gateways[0].WsUri);
        await client.JoinAsync(room);
        var realtime = await cluster.RealtimeAsync();
        var keyed = new SendOptions { IdempotencyKey = "server-key" };
        var fromClient = await PublishAsync(client, room, "client-key");
        var fromServer = await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { text = "server" }), keyed);

        // Restarting each silo in turn moves the room to another silo at least once.
        foreach (var silo in cluster.Silos.ToList())
        {
            await silo.Process.StopAsync();
            await cluster.StartSiloAsync(replacing: silo);
        }

        var clientAgain = await PublishAsync(client, room, "client-key");
        var serverAgain = await (await cluster.RealtimeAsync()).SendToRoomWithResultAsync(room, RealtimePush.Create("chat", "message", new { text = "server again" }), keyed);

        Assert.Equal((fromClient.Seq, true), clientAgain);
        Assert.Equal(new RoomSendResult(fromServer, true), serverAgain);
    }

    private static async Task<(long Seq, bool Duplicate)> PublishAsync(WsClient client, string room, string key)
    {
        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data = new { text = "client" }, idempotencyKey = key }, TimeSpan.FromSeconds(30));
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"publish failed: {reply}");
        var data = reply.GetProperty("data");
        return (data.GetProperty("seq").GetInt64(), data.TryGetProperty("duplicate", out var duplicate) && duplicate.GetBoolean());
    }
}
