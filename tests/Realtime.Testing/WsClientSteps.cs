using System.Text.Json;

namespace Realtime.Testing;

/// <summary>Protocol steps tests repeat, spelled as a client would send them.</summary>
public static class WsClientSteps
{
    public static async Task<JsonElement> JoinAsync(this WsClient client, string room, long? since = null, string? epoch = null)
    {
        object data = since is null ? new { roomName = room } : new { roomName = room, since, epoch };
        var reply = await client.RequestAsync("system", "joinRoom", data);
        Xunit.Assert.True(reply.GetProperty("ok").GetBoolean(), $"join {room} failed: {reply}");
        return reply.GetProperty("data");
    }

    public static async Task<long> PublishAsync(this WsClient client, string room, object data, bool echo = false, string type = "chat", string action = "message")
    {
        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type, action, data, echo });
        Xunit.Assert.True(reply.GetProperty("ok").GetBoolean(), $"publish to {room} failed: {reply}");
        return reply.GetProperty("data").GetProperty("seq").GetInt64();
    }

    public static void AssertError(this JsonElement reply, string code)
    {
        Xunit.Assert.False(reply.GetProperty("ok").GetBoolean(), $"expected {code}, got {reply}");
        Xunit.Assert.Equal(code, reply.GetProperty("code").GetString());
        Xunit.Assert.False(string.IsNullOrEmpty(reply.GetProperty("error").GetString()));
    }

    /// <summary>The next server request (a push with <c>rid</c>), skipping other pushes.</summary>
    public static Task<JsonElement> NextRequestAsync(this WsClient client, string what = "a server request")
        => client.WaitForPushAsync(p => p.TryGetProperty("rid", out _), what);

    /// <summary>Answers a server request with <paramref name="data"/>.</summary>
    public static Task AnswerAsync(this WsClient client, JsonElement request, object? data)
        => client.SendAsync("system", "answer", new { rid = request.GetProperty("rid").GetString(), ok = true, data });

    /// <summary>Refuses a server request with <paramref name="code"/> and <paramref name="error"/>.</summary>
    public static Task RefuseAsync(this WsClient client, JsonElement request, string code, string error)
        => client.SendAsync("system", "answer", new { rid = request.GetProperty("rid").GetString(), ok = false, code, error });

    public static long Seq(this JsonElement push) => push.GetProperty("seq").GetInt64();

    public static string? Text(this JsonElement push) => push.GetProperty("data").GetProperty("text").GetString();
}

/// <summary>Unique names, so tests sharing a server or a cluster never meet.</summary>
public static class TestIds
{
    public static string Room(string category = "room") => $"{category}:{Guid.NewGuid():N}";

    public static string User() => "u_" + Guid.NewGuid().ToString("N")[..10];
}
