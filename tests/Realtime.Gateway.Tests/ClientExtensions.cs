using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>Protocol steps tests repeat, spelled as a client would send them.</summary>
public static class ClientExtensions
{
    public static async Task<JsonElement> JoinAsync(this WsClient client, string room, long? since = null, string? epoch = null)
    {
        object data = since is null ? new { roomName = room } : new { roomName = room, since, epoch };
        var reply = await client.RequestAsync("system", "joinRoom", data);
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"join {room} failed: {reply}");
        return reply.GetProperty("data");
    }

    public static async Task<long> PublishAsync(this WsClient client, string room, object data, bool echo = false, string type = "chat", string action = "message")
    {
        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type, action, data, echo });
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"publish to {room} failed: {reply}");
        return reply.GetProperty("data").GetProperty("seq").GetInt64();
    }

    public static void AssertError(this JsonElement reply, string code)
    {
        Assert.False(reply.GetProperty("ok").GetBoolean(), $"expected {code}, got {reply}");
        Assert.Equal(code, reply.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(reply.GetProperty("error").GetString()));
    }

    public static long Seq(this JsonElement push) => push.GetProperty("seq").GetInt64();

    public static string? Text(this JsonElement push) => push.GetProperty("data").GetProperty("text").GetString();
}
