using System.Text.Json;

namespace Realtime.Cluster.Tests;

public static class ClientSteps
{
    public static async Task<JsonElement> JoinAsync(this WsClient client, string room, long? since = null, string? epoch = null)
    {
        object data = since is null ? new { roomName = room } : new { roomName = room, since, epoch };
        var reply = await client.RequestAsync("system", "joinRoom", data);
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"join {room} failed: {reply}");
        return reply.GetProperty("data");
    }

    public static async Task<long> PublishAsync(this WsClient client, string room, object data)
    {
        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data, echo = true });
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"publish to {room} failed: {reply}");
        return reply.GetProperty("data").GetProperty("seq").GetInt64();
    }

    public static string? Text(this JsonElement push) => push.GetProperty("data").GetProperty("text").GetString();

    public static string Room() => $"room:{Guid.NewGuid():N}";

    public static string User() => "u_" + Guid.NewGuid().ToString("N")[..10];
}
